package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;

import reactor.core.publisher.Mono;

/**
 * Retention: message bodies older than {@code wardfleet.messaging.retention} are deleted (who sent what to whom, and
 * the receipts, stay for accountability). Devices purge their copies when they next fetch (the entry comes back as
 * {@code purge}). The embedded server has no TTL indexes, so this runs as a sweep in every mode.
 */
@Component
class RetentionSweep implements Job {

    private final MessageStore store;
    private final MessagingProperties properties;
    private final Clock clock;
    private final UserSignals signals;

    RetentionSweep(MessageStore store, MessagingProperties properties, Clock clock, UserSignals signals) {
        this.signals = signals;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    Mono<Long> sweep(Instant now) {
        return store.purgeBodies(now.minus(properties.retention()), now)
                .flatMap(purged -> signals.sweep().thenReturn(purged));
    }

    @Override
    public String name() {
        return "retention-sweep";
    }

    /** A delete or write over shared records: one instance at a time is enough. */
    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public java.time.Duration interval() {
        return properties.retentionSweep();
    }

    @Override
    public Mono<?> run() {
        return sweep(clock.instant());
    }
}
