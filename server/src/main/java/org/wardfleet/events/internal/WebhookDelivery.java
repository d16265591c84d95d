package org.wardfleet.events.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;


import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers pending security events to the configured webhook, at least once, from whichever instance claims them.
 * Each POST carries {@code X-Wardfleet-Timestamp} and {@code X-Wardfleet-Signature: sha256=<hex>}, the HMAC-SHA256
 * of {@code timestamp + "." + body} with the shared secret, so the receiver can check origin and freshness.
 */
@Component
class WebhookDelivery implements Job {

    static final String SIGNATURE = "X-Wardfleet-Signature";
    static final String TIMESTAMP = "X-Wardfleet-Timestamp";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventStore store;
    private final EventsProperties properties;
    private final Clock clock;
    private final WebClient http = WebClient.create();
    private final String instanceId = UUID.randomUUID().toString();
    private final JobRun items;

    WebhookDelivery(EventStore store, EventsProperties properties, Clock clock, JobFailures failures) {
        this.items = new JobRun(name(), failures);
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** One pass; an event whose bookkeeping fails is logged, counted and skipped, never stopping the others. */
    Mono<Integer> deliverDue() {
        var now = clock.instant();
        return store.deliverable(now, 100)
                .concatMap(event -> items.isolate("event " + event.id(),
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
    public String name() {
        return "webhook-delivery";
    }

    /** Every {@code wardfleet.events.delivery-tick}; claims make each event go out from one instance. */
    @Override
    public Duration interval() {
        return properties.deliveryTick();
    }

    /** Only with a webhook configured. */
    @Override
    public boolean enabled() {
        return properties.webhookUrl() != null;
    }

    @Override
    public Mono<?> run() {
        return deliverDue();
    }
}
