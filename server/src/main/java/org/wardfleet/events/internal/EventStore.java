package org.wardfleet.events.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.wardfleet.events.SecurityEvent;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code security_events}: the event log (an outbox for the webhook: {@code webhook} is PENDING until delivered,
 * claimed with a lease so one instance delivers each event) and the source of the live stream (a change stream, so
 * events published on any instance reach subscribers on every instance).
 */
@Component
@EnableConfigurationProperties(EventsProperties.class)
class EventStore implements SecurityEvents {

    static final Duration LEASE = Duration.ofSeconds(30);

    private final MongoCollection<Document> events;
    private final EventsProperties properties;
    private final Clock clock;
    private final org.wardfleet.platform.mongo.SignalChannel<Document> live;

    EventStore(MongoDatabase db, EventsProperties properties, Clock clock,
            org.wardfleet.platform.mongo.SignalChannels channels) {
        this.events = db.getCollection("security_events");
        this.properties = properties;
        this.clock = clock;
        // the event log itself: never swept by the channel; a subscriber that may have missed events reloads recent
        this.live = channels.open("security_events", d -> d, d -> d, null, Mono.empty());
    }

    @Override
    public Mono<Void> publish(String orgId, String type, String subject, Map<String, Object> details) {
        Document doc = new Document("_id", UUID.randomUUID().toString()).append("orgId", orgId).append("type", type)
                .append("subject", subject).append("at", Documents.date(clock.instant()))
                .append("details", new Document(details))
                .append("webhook", properties.webhookUrl() == null ? "NONE" : "PENDING").append("attempts", 0)
                .append("nextAttemptAt", Documents.date(clock.instant()));
        return live.insert(java.util.List.of(doc));
    }

    /** Events of this organisation inserted from now on, from any instance. */
    Flux<SecurityEvent> live(String orgId) {
        return live.watch()
                .filter(d -> orgId.equals(d.getString("orgId")))
                .map(EventStore::toEvent);
    }

    Flux<SecurityEvent> recent(String orgId, Instant since, int limit) {
        return Flux.from(events.find(and(eq("orgId", orgId), gte("at", Documents.date(since))))
                .sort(Sorts.descending("at")).limit(limit)).map(EventStore::toEvent);
    }

    @Override
    public Mono<Long> count(String orgId, String type, Instant since) {
        return Mono.from(events.countDocuments(and(eq("orgId", orgId), eq("type", type),
                gte("at", Documents.date(since)))));
    }

    Flux<SecurityEvent> deliverable(Instant now, int limit) {
        return Flux.from(events.find(and(eq("webhook", "PENDING"), lte("nextAttemptAt", Documents.date(now)),
                        or(eq("leaseUntil", null), lte("leaseUntil", Documents.date(now)))))
                .sort(Sorts.ascending("at")).limit(limit)).map(EventStore::toEvent);
    }

    Mono<Integer> claim(String id, String owner, Instant now) {
        return Mono.from(events.findOneAndUpdate(and(eq("_id", id), eq("webhook", "PENDING"),
                        or(eq("leaseUntil", null), lte("leaseUntil", Documents.date(now)))),
                        Updates.combine(Updates.set("leaseOwner", owner), Updates.set("leaseUntil",
                                Documents.date(now.plus(LEASE))), Updates.inc("attempts", 1)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(d -> d.getInteger("attempts", 1));
    }

    Mono<Void> delivered(String id, Instant now) {
        return Mono.from(events.updateOne(eq("_id", id), Updates.combine(Updates.set("webhook", "DELIVERED"),
                Updates.set("deliveredAt", Documents.date(now)), Updates.set("leaseUntil", null)))).then();
    }

    Mono<Void> failed(String id, int attempts, Instant now, String why) {
        boolean giveUp = attempts >= properties.webhookAttempts();
        // back-off: 2, 4, 8 ... seconds, at most 10 minutes
        Duration wait = Duration.ofSeconds(Math.min(600, 1L << Math.min(attempts, 10)));
        return Mono.from(events.updateOne(eq("_id", id), Updates.combine(
                Updates.set("webhook", giveUp ? "FAILED" : "PENDING"), Updates.set("lastError", why),
                Updates.set("nextAttemptAt", Documents.date(now.plus(wait))), Updates.set("leaseUntil", null))))
                .then();
    }

    /** What the organisation's webhook deliveries look like now. */
    record WebhookCounts(long pending, long failed, Instant lastDeliveredAt, String lastError) {
    }

    /** Three counts and two reads of the organisation's events (the embedded server scans; MongoDB: orgId index). */
    Mono<WebhookCounts> webhookCounts(String orgId) {
        Mono<Long> pending = Mono.from(events.countDocuments(and(eq("orgId", orgId), eq("webhook", "PENDING"))));
        Mono<Long> failed = Mono.from(events.countDocuments(and(eq("orgId", orgId), eq("webhook", "FAILED"))));
        Mono<java.util.Optional<Instant>> delivered = Mono.from(events.find(and(eq("orgId", orgId),
                        eq("webhook", "DELIVERED"))).sort(Sorts.descending("deliveredAt")).first())
                .map(d -> java.util.Optional.ofNullable(Documents.instant(d.getDate("deliveredAt"))))
                .defaultIfEmpty(java.util.Optional.empty());
        Mono<java.util.Optional<String>> lastError = Mono.from(events.find(and(eq("orgId", orgId),
                        com.mongodb.client.model.Filters.ne("lastError", null),
                        com.mongodb.client.model.Filters.ne("webhook", "DELIVERED")))
                        .sort(Sorts.descending("at")).first())
                .map(d -> java.util.Optional.ofNullable(d.getString("lastError")))
                .defaultIfEmpty(java.util.Optional.empty());
        return Mono.zip(pending, failed, delivered, lastError).map(t -> new WebhookCounts(t.getT1(), t.getT2(),
                t.getT3().orElse(null), t.getT4().orElse(null)));
    }

    private static SecurityEvent toEvent(Document d) {
        Document details = d.get("details", Document.class);
        return new SecurityEvent(d.getString("_id"), d.getString("orgId"), d.getString("type"), d.getString("subject"),
                Documents.instant(d.getDate("at")), details == null ? Map.of() : new java.util.LinkedHashMap<>(details));
    }
}
