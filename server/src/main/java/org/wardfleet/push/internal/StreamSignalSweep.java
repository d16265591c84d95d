package org.wardfleet.push.internal;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;

import reactor.core.publisher.Mono;

/** Deletes old device signals every minute: a delete over shared records, so one instance at a time runs it. */
@Component
class StreamSignalSweep implements Job {

    private final StreamSignals signals;

    StreamSignalSweep(StreamSignals signals) {
        this.signals = signals;
    }

    @Override
    public String name() {
        return "stream-signal-sweep";
    }

    @Override
    public Duration interval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public Mono<?> run() {
        return signals.sweep();
    }
}
