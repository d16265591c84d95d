package org.wardfleet.console.internal;

import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.PeriodicTask;

import reactor.core.publisher.Mono;

/** Deletes ended console sessions every minute: the embedded store has no TTL expiry. */
@Component
class SessionSweep extends PeriodicTask {

    private final SessionStore sessions;
    private final Clock clock;

    SessionSweep(SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    protected Duration period() {
        return Duration.ofMinutes(1);
    }

    @Override
    protected Mono<?> runOnce() {
        return sessions.deleteEnded(clock.instant());
    }
}
