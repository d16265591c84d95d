package org.wardfleet.platform.mongo;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Whether storage keeps writes now. Turns loud when it stops: one ERROR line, readiness DOWN with the reason
 * ({@code MongoHealthIndicator}), the gauge {@code wardfleet.storage.available} at 0, the counter
 * {@code wardfleet.storage.failures}, and a {@link StorageAvailabilityChanged} event (the events feature turns it
 * into a security event). Writes are refused with {@code 503 storage-unavailable} meanwhile; reads go on.
 */
public final class StorageStatus {

    private static final Logger log = LoggerFactory.getLogger(StorageStatus.class);

    /** Now: available, or since when and why not. */
    public record State(boolean available, String reason, Instant since) {
    }

    private final AtomicReference<State> state;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Counter failures;

    StorageStatus(Clock clock, ApplicationEventPublisher events, MeterRegistry meters) {
        this.clock = clock;
        this.events = events;
        this.state = new AtomicReference<>(new State(true, null, clock.instant()));
        this.failures = meters.counter("wardfleet.storage.failures");
        Gauge.builder("wardfleet.storage.available", this, s -> s.state().available() ? 1 : 0)
                .description("1 while storage keeps writes, 0 while writes are refused").register(meters);
    }

    public State state() {
        return state.get();
    }

    /** Storage stopped keeping writes; only the first report of an outage is loud. */
    void unavailable(String reason) {
        State before = state.get();
        State now = new State(false, reason, before.available() ? clock.instant() : before.since());
        if (state.compareAndSet(before, now) && before.available()) {
            failures.increment();
            log.error("STORAGE UNAVAILABLE: {}. Writes are refused with 503 until it recovers; nothing "
                    + "acknowledged has been lost", reason);
            events.publishEvent(new StorageAvailabilityChanged(false, reason, now.since(), null));
        }
    }

    /** Storage keeps writes again. */
    void available() {
        State before = state.get();
        if (!before.available() && state.compareAndSet(before, new State(true, null, clock.instant()))) {
            log.warn("Storage available again after an outage since {} ({})", before.since(), before.reason());
            events.publishEvent(new StorageAvailabilityChanged(true, before.reason(), before.since(),
                    clock.instant()));
        }
    }
}
