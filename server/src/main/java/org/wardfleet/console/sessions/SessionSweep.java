package org.wardfleet.console.sessions;

import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;

import reactor.core.publisher.Mono;

/** Deletes ended browser sessions (console and app) every minute: the embedded store has no TTL expiry. */
@Component
class SessionSweep implements Job {

    private final SessionStore sessions;
    private final Clock clock;

    SessionSweep(SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "session-sweep";
    }

    @Override
    public Duration interval() {
        return Duration.ofMinutes(1);
    }

    /** A delete over shared records: one instance is enough. */
    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public Mono<?> run() {
        return sessions.deleteEnded(clock.instant());
    }
}
