package org.wardfleet.identity.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Growing back-off on failed sign-ins, kept in MongoDB ({@code login_attempts}) so every instance enforces the same
 * limits; a blocked attempt answers 429 with {@code Retry-After} before any password is checked. Counted per
 * account <em>and</em> address, so someone who knows an email cannot lock its owner out from elsewhere (a count per
 * account alone once did exactly that); per address, so one address spraying many accounts is slowed; and per account
 * from everywhere, a ceiling that — once many addresses together have failed — makes only addresses the account
 * has not signed in from recently wait, never the owner's usual ones.
 */
@Component
class LoginThrottle {

    /** What one attempt is counted against. */
    record Attempt(String email, String address) {

        String pairKey() {
            return "pair:" + email + "|" + address;
        }

        String addressKey() {
            return "address:" + address;
        }

        String accountKey() {
            return "account:" + email;
        }

        /** Set by a successful sign-in from this address: the owner's own, which the account ceiling spares. */
        String knownKey() {
            return "known:" + email + "|" + address;
        }
    }

    private final MongoCollection<Document> attempts;
    private final IdentityProperties properties;
    private final Clock clock;

    LoginThrottle(MongoDatabase db, IdentityProperties properties, Clock clock) {
        this.attempts = db.getCollection("login_attempts");
        this.properties = properties;
        this.clock = clock;
    }

    /** How long the caller must still wait, or empty if it may try now. One read of the four records. */
    Mono<Duration> blockedFor(Attempt attempt) {
        Instant now = clock.instant();
        return Flux.from(attempts.find(in("_id", List.of(attempt.pairKey(), attempt.addressKey(),
                        attempt.accountKey(), attempt.knownKey()))))
                .collectMap(d -> d.getString("_id"))
                .flatMap(found -> {
                    boolean known = knownAddress(found.get(attempt.knownKey()), now);
                    return Flux.fromIterable(known ? List.of(attempt.pairKey(), attempt.addressKey())
                                    : List.of(attempt.pairKey(), attempt.addressKey(), attempt.accountKey()))
                            .mapNotNull(found::get)
                            .mapNotNull(d -> Documents.instant(d.getDate("blockedUntil")))
                            .filter(until -> until.isAfter(now))
                            .map(until -> Duration.between(now, until))
                            .reduce((a, b) -> a.compareTo(b) >= 0 ? a : b);
                });
    }

    private boolean knownAddress(Document known, Instant now) {
        Instant at = known == null ? null : Documents.instant(known.getDate("at"));
        return at != null && at.plus(properties.knownAddressFor()).isAfter(now);
    }

    /** A failure counts against the account from this address, the address, and the account from everywhere. */
    Mono<Void> failed(Attempt attempt) {
        Map<String, Integer> allowances = Map.of(attempt.pairKey(), properties.freeFailuresPerAccount(),
                attempt.addressKey(), properties.freeFailuresPerAddress(),
                attempt.accountKey(), properties.accountCeiling());
        return Flux.fromIterable(allowances.entrySet())
                .concatMap(e -> failed(e.getKey(), e.getValue()))
                .then();
    }

    private Mono<Void> failed(String key, int freeFailures) {
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
        return Mono.from(attempts.replaceOne(eq("_id", key), fresh, new ReplaceOptions().upsert(true)))
                .thenReturn(fresh);
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

    /**
     * A successful sign-in clears the count of this account from this address and marks the address as the owner's.
     * The address's own count and the account's count from everywhere stay: a success in the middle of an attack from
     * elsewhere must not reopen it.
     */
    Mono<Void> succeeded(Attempt attempt) {
        Document known = new Document("_id", attempt.knownKey()).append("at", Documents.date(clock.instant()));
        return Mono.from(attempts.deleteOne(eq("_id", attempt.pairKey())))
                .then(Mono.from(attempts.replaceOne(eq("_id", attempt.knownKey()), known,
                        new ReplaceOptions().upsert(true))))
                .then();
    }
}
