package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.lt;

import java.time.Clock;
import java.time.Duration;
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

    record Signal(String orgId, String userId, String type, String messageId) {
    }

    Mono<Void> publish(List<Signal> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        var at = Documents.date(clock.instant());
        return feed.insert(signals, batch.stream().map(s -> new Document("_id", UUID.randomUUID().toString())
                .append("orgId", s.orgId()).append("userId", s.userId()).append("type", s.type())
                .append("messageId", s.messageId()).append("at", at)).toList());
    }

    Flux<Map<String, Object>> live(String orgId, String userId) {
        return feed.inserts(signals)
                .filter(d -> orgId.equals(d.getString("orgId")) && userId.equals(d.getString("userId")))
                .map(d -> Map.<String, Object>of("type", d.getString("type"), "messageId", d.getString("messageId")));
    }

    Mono<Long> sweep() {
        return Mono.from(signals.deleteMany(lt("at", Documents.date(clock.instant().minus(KEEP)))))
                .map(r -> r.getDeletedCount());
    }
}
