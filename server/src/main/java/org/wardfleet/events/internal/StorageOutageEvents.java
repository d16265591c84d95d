package org.wardfleet.events.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.identity.Tenants;
import org.wardfleet.platform.mongo.StorageAvailabilityChanged;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * A storage outage as security events, for every organisation: {@code storage.unavailable} as it begins and
 * {@code storage.recovered} (with when it began and ended) once writes are kept again. The first is usually written
 * only after the outage — the event log lives in the storage that failed — so it is retried until it is kept; readiness,
 * the {@code wardfleet.storage.available} gauge and the ERROR log line are what say so at once.
 */
@Component
class StorageOutageEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StorageOutageEvents.class);

    private final SecurityEvents events;
    private final Tenants tenants;
    private final Sinks.Many<StorageAvailabilityChanged> changes = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Disposable running;

    StorageOutageEvents(SecurityEvents events, Tenants tenants) {
        this.events = events;
        this.tenants = tenants;
    }

    @EventListener
    void on(StorageAvailabilityChanged change) {
        changes.emitNext(change, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    private Mono<Void> publish(StorageAvailabilityChanged change) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", change.reason());
        details.put("since", change.since().toString());
        if (change.until() != null) {
            details.put("until", change.until().toString());
        }
        String type = change.available() ? "storage.recovered" : "storage.unavailable";
        // during the outage writing fails until storage keeps writes again: each step is retried on its own
        return tenants.all().collectList().retryWhen(untilKept())
                .flatMapMany(Flux::fromIterable)
                .concatMap(org -> events.publish(org.id(), type, "storage", details).retryWhen(untilKept()))
                .then()
                .doOnSuccess(done -> log.info("Security event {} recorded", type));
    }

    private static Retry untilKept() {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10));
    }

    @Override
    public void start() {
        running = changes.asFlux().concatMap(this::publish).subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
