package org.wardfleet.push.internal;

import static com.mongodb.client.model.Filters.lt;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Events for streams held by other instances go through {@code device_signals}: the sender inserts them (one
 * {@code insertMany} per fan-out) and every instance watches the collection's change stream, delivering those
 * addressed to it. Signals are short-lived and swept, since the embedded server has no TTL indexes.
 */
@Component
class StreamSignals {

    static final Duration KEEP = Duration.ofMinutes(5);

    private final MongoCollection<Document> signals;
    private final Clock clock;
    private final org.wardfleet.platform.mongo.InsertFeed feed;

    StreamSignals(MongoDatabase db, Clock clock, org.wardfleet.platform.mongo.InsertFeed feed) {
        this.signals = db.getCollection("device_signals");
        this.clock = clock;
        this.feed = feed;
    }

    record Signal(String orgId, String deviceId, String instanceId, String event) {
    }

    Mono<Void> send(List<Signal> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        var at = Documents.date(clock.instant());
        return feed.insert(signals, batch.stream().map(s -> new Document("_id", UUID.randomUUID().toString())
                .append("orgId", s.orgId()).append("deviceId", s.deviceId()).append("instanceId", s.instanceId())
                .append("event", s.event()).append("at", at)).toList());
    }

    /** Signals inserted from now on (an interrupted watch resumes "from now": devices also poll at check-in). */
    Flux<Signal> watch() {
        return feed.inserts(signals)
                .map(d -> new Signal(d.getString("orgId"), d.getString("deviceId"), d.getString("instanceId"),
                        d.getString("event")));
    }

    Mono<Long> sweep() {
        return Mono.from(signals.deleteMany(lt("at", Documents.date(clock.instant().minus(KEEP)))))
                .map(r -> r.getDeletedCount());
    }
}
