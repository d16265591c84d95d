package org.wardfleet.console.sessions;

import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.PeriodicTask;

import reactor.core.publisher.Mono;

/** Deletes ended browser sessions (console and app) every minute: the embedded store has no TTL expiry. */
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
