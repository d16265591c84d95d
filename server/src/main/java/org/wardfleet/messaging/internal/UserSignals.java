package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.lt;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Live events for people's desktop sessions ({@code user_signals}): "a message for you", "a receipt on your
 * message" — ids only. Inserted once per event and watched through a change stream, so a session on any instance
 * hears about a send or receipt handled by any other. Short-lived, swept.
 */
@Component
class UserSignals {

    static final Duration KEEP = Duration.ofMinutes(10);

    private final MongoCollection<Document> signals;
    private final Clock clock;
    private final org.wardfleet.platform.mongo.InsertFeed feed;

    UserSignals(MongoDatabase db, Clock clock, org.wardfleet.platform.mongo.InsertFeed feed) {
        this.signals = db.getCollection("user_signals");
        this.clock = clock;
        this.feed = feed;
    }

    /**
     * {@code alert}: the priority (STAT, URGENT) of a message that asks its recipient's screen to raise an alert at
     * once, before it has fetched the message — no text, no sender, like a pager's tone; null otherwise.
     */
    record Signal(String orgId, String userId, String type, String messageId, String alert) {

        Signal(String orgId, String userId, String type, String messageId) {
            this(orgId, userId, type, messageId, null);
        }
    }

    /** People per signal document: a broadcast to 10,000 is ten inserts, not 10,000. */
    static final int USERS_PER_DOCUMENT = 1_000;

    /**
     * One document per event (organisation, type, message) and up to {@link #USERS_PER_DOCUMENT} of the people it is
     * for ({@code userIds}); each session picks out its own person.
     */
    Mono<Void> publish(List<Signal> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        var at = Documents.date(clock.instant());
        Map<List<String>, List<String>> byEvent = new LinkedHashMap<>();
        batch.forEach(s -> byEvent.computeIfAbsent(List.of(s.orgId(), s.type(), s.messageId(),
                s.alert() == null ? "" : s.alert()), k -> new ArrayList<>()).add(s.userId()));
        List<Document> documents = new ArrayList<>();
        byEvent.forEach((event, users) -> {
            for (int from = 0; from < users.size(); from += USERS_PER_DOCUMENT) {
                documents.add(new Document("_id", UUID.randomUUID().toString()).append("orgId", event.get(0))
                        .append("userIds", List.copyOf(users.subList(from, Math.min(users.size(),
                                from + USERS_PER_DOCUMENT))))
                        .append("type", event.get(1)).append("messageId", event.get(2)).append("at", at)
                        .append("alert", event.get(3).isEmpty() ? null : event.get(3)));
            }
        });
        return feed.insert(signals, documents);
    }

    Flux<Map<String, Object>> live(String orgId, String userId) {
        return feed.inserts(signals)
                .filter(d -> orgId.equals(d.getString("orgId")) && addressedTo(d, userId))
                .map(d -> d.getString("alert") == null
                        ? Map.<String, Object>of("type", d.getString("type"), "messageId", d.getString("messageId"))
                        : Map.<String, Object>of("type", d.getString("type"), "messageId", d.getString("messageId"),
                                "alert", d.getString("alert")));
    }

    /** For this person: in {@code userIds}, or (written by an instance before 2026-12-04) its single {@code userId}. */
    private static boolean addressedTo(Document d, String userId) {
        List<?> users = d.get("userIds", List.class);
        return users != null ? users.contains(userId) : userId.equals(d.getString("userId"));
    }

    Mono<Long> sweep() {
        return Mono.from(signals.deleteMany(lt("at", Documents.date(clock.instant().minus(KEEP)))))
                .map(r -> r.getDeletedCount());
    }
}
