package org.wardfleet.events.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.platform.time.JobFailures;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers pending security events to the configured webhook, at least once, from whichever instance claims them.
 * Each POST carries {@code X-Wardfleet-Timestamp} and {@code X-Wardfleet-Signature: sha256=<hex>}, the HMAC-SHA256
 * of {@code timestamp + "." + body} with the shared secret, so the receiver can check origin and freshness.
 */
@Component
class WebhookDelivery implements SmartLifecycle {

    static final String SIGNATURE = "X-Wardfleet-Signature";
    static final String TIMESTAMP = "X-Wardfleet-Timestamp";
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventStore store;
    private final EventsProperties properties;
    private final Clock clock;
    private final WebClient http = WebClient.create();
    private final String instanceId = UUID.randomUUID().toString();
    private final JobFailures failures;
    private volatile Disposable running;

    WebhookDelivery(EventStore store, EventsProperties properties, Clock clock, JobFailures failures) {
        this.failures = failures;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** One pass; an event whose bookkeeping fails is logged, counted and skipped, never stopping the others. */
    Mono<Integer> deliverDue() {
        var now = clock.instant();
        return store.deliverable(now, 100)
                .concatMap(event -> failures.isolate("webhook-delivery", "event " + event.id(),
                        store.claim(event.id(), instanceId, now)
                                .flatMap(attempts -> post(event).then(store.delivered(event.id(), clock.instant()))
                                        .thenReturn(1)
                                        .onErrorResume(e -> store.failed(event.id(), attempts, clock.instant(),
                                                e.getClass().getSimpleName()).thenReturn(0)))))
                .reduce(0, Integer::sum);
    }

    private Mono<Void> post(org.wardfleet.events.SecurityEvent event) {
        String body = JSON.writeValueAsString(event.wire());
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        return http.post().uri(properties.webhookUrl()).contentType(MediaType.APPLICATION_JSON)
                .header("X-Wardfleet-Event", event.type()).header(TIMESTAMP, timestamp)
                .header(SIGNATURE, org.wardfleet.events.WebhookSignatures.sign(properties.webhookSecret(), timestamp, body))
                .bodyValue(body).retrieve().toBodilessEntity().timeout(Duration.ofSeconds(10)).then();
    }

    @Override
    public void start() {
        if (properties.webhookUrl() == null) {
            return;
        }
        running = Flux.interval(properties.deliveryTick(), Schedulers.parallel())
                // a pass slower than the tick (a slow receiver, a busy machine) skips ticks: without this the interval
                // overflowed and ended delivery for good
                .onBackpressureDrop()
                .concatMap(t -> deliverDue().onErrorResume(e -> {
                    log.warn("Webhook delivery tick failed; will retry: {}", e.toString());
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
