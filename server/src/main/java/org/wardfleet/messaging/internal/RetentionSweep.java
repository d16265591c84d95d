package org.wardfleet.messaging.internal;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Retention: message bodies older than {@code wardfleet.messaging.retention} are deleted (who sent what to whom, and
 * the receipts, stay for accountability). Devices purge their copies when they next fetch (the entry comes back as
 * {@code purge}). The embedded server has no TTL indexes, so this runs as a sweep in every mode.
 */
@Component
class RetentionSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final MessageStore store;
    private final MessagingProperties properties;
    private final Clock clock;
    private final UserSignals signals;
    private volatile Disposable running;

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
    public void start() {
        running = Flux.interval(properties.retentionSweep(), Schedulers.parallel())
                .concatMap(t -> sweep(clock.instant()).onErrorResume(e -> {
                    log.warn("Message retention sweep failed; will retry: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable r = running;
        if (r != null) {
            r.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }
}
