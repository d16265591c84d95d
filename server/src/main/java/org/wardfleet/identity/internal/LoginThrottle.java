package org.wardfleet.identity.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Growing back-off on failed sign-ins, per account and per source address, kept in MongoDB so every instance
 * enforces the same limits. A blocked key answers 429 with {@code Retry-After} before any password is checked.
 */
@Component
class LoginThrottle {

    private final MongoCollection<Document> attempts;
    private final IdentityProperties properties;
    private final Clock clock;

    LoginThrottle(MongoDatabase db, IdentityProperties properties, Clock clock) {
        this.attempts = db.getCollection("login_attempts");
        this.properties = properties;
        this.clock = clock;
    }

    static String accountKey(String email) {
        return "account:" + email;
    }

    static String addressKey(String address) {
        return "address:" + address;
    }

    /** How long the caller must still wait, or empty if it may try now. */
    Mono<Duration> blockedFor(List<String> keys) {
        Instant now = clock.instant();
        return Flux.fromIterable(keys)
                .flatMap(key -> Mono.from(attempts.find(eq("_id", key)).first()))
                .mapNotNull(d -> Documents.instant(d.getDate("blockedUntil")))
                .filter(until -> until.isAfter(now))
                .map(until -> Duration.between(now, until))
                .reduce((a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    Mono<Void> failed(String key, int freeFailures) {
        Instant now = clock.instant();
        var recent = and(eq("_id", key), gte("lastFailure", Documents.date(now.minus(properties.failureWindow()))));
        return Mono.from(attempts.findOneAndUpdate(recent,
                        Updates.combine(Updates.inc("failures", 1), Updates.set("lastFailure", Documents.date(now))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .switchIfEmpty(Mono.defer(() -> restart(key, now)))
                .flatMap(doc -> block(key, doc.getInteger("failures", 1), freeFailures, now));
    }

    /** First failure, or the first after a quiet window: the count starts again at 1. */
    private Mono<Document> restart(String key, Instant now) {
        Document fresh = new Document("_id", key).append("failures", 1).append("lastFailure", Documents.date(now));
        return Mono.from(attempts.replaceOne(eq("_id", key), fresh,
                new com.mongodb.client.model.ReplaceOptions().upsert(true))).thenReturn(fresh);
    }

    private Mono<Void> block(String key, int failures, int freeFailures, Instant now) {
        if (failures <= freeFailures) {
            return Mono.empty();
        }
        Duration wait = backoff(failures - freeFailures);
        return Mono.from(attempts.updateOne(eq("_id", key),
                Updates.set("blockedUntil", Documents.date(now.plus(wait))))).then();
    }

    /** 1 s, 2 s, 4 s, ... capped. */
    Duration backoff(int failuresOverAllowance) {
        int doublings = Math.min(30, failuresOverAllowance - 1);
        Duration wait = properties.backoffBase().multipliedBy(1L << doublings);
        return wait.compareTo(properties.backoffMax()) > 0 ? properties.backoffMax() : wait;
    }

    /** A successful sign-in clears the account's count; the address keeps its own. */
    Mono<Void> succeeded(String email) {
        return Mono.from(attempts.deleteOne(eq("_id", accountKey(email)))).then();
    }
}
