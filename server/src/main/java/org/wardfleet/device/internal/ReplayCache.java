package org.wardfleet.device.internal;

import static com.mongodb.client.model.Filters.lt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.time.Job;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Device JWT ids seen, shared by all instances: the insert under the unique {@code _id} is the check, so a token
 * replayed to another instance in the same millisecond is still caught. Entries are swept after the token's expiry
 * (the embedded store ignores TTL indexes; a real MongoDB also gets the TTL index).
 */
@Component
class ReplayCache implements IndexedCollection, Job {

    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final MongoCollection<Document> seen;
    private final Clock clock;

    ReplayCache(MongoDatabase db, Clock clock) {
        this.seen = db.getCollection("device_jwt_ids");
        this.clock = clock;
    }

    @Override
    public Publisher<?> createIndexes() {
        return seen.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L,
                java.util.concurrent.TimeUnit.SECONDS));
    }

    /** True the first time this device presents {@code jti}; false for a replay. */
    Mono<Boolean> firstUse(String deviceId, String jti, Instant expiresAt) {
        return Mono.from(seen.insertOne(new Document("_id", deviceId + ":" + jti)
                        .append("expiresAt", Documents.date(expiresAt.plus(Duration.ofMinutes(1))))))
                .thenReturn(true)
                .onErrorResume(Documents::isDuplicateKey, e -> Mono.just(false));
    }

    Mono<Long> sweep() {
        return Mono.from(seen.deleteMany(lt("expiresAt", Documents.date(clock.instant()))))
                .map(r -> r.getDeletedCount());
    }

    @Override
    public String name() {
        return "replay-cache-sweep";
    }

    @Override
    public Duration interval() {
        return SWEEP_EVERY;
    }

    /** A delete over shared records: one instance at a time is enough. */
    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public Mono<?> run() {
        return sweep();
    }
}
