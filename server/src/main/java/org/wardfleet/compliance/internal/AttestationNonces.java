package org.wardfleet.compliance.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Single-use attestation nonces ({@code attestation_nonces}): 32 random bytes, bound to the device that asked,
 * valid 5 minutes, consumed by one atomic update so a replayed report finds it used. Expired ones are swept.
 */
@Component
class AttestationNonces {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> nonces;
    private final Clock clock;

    AttestationNonces(MongoDatabase db, Clock clock) {
        this.nonces = db.getCollection("attestation_nonces");
        this.clock = clock;
    }

    record Issued(String nonce, Instant expiresAt) {
    }

    enum Use { FRESH, REPLAYED, UNKNOWN_OR_EXPIRED }

    Mono<Issued> issue(String orgId, String deviceId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(LIFETIME).truncatedTo(ChronoUnit.MILLIS);
        return Mono.from(nonces.insertOne(new Document("_id", nonce).append("orgId", orgId)
                .append("deviceId", deviceId).append("expiresAt", Documents.date(expiresAt))))
                .thenReturn(new Issued(nonce, expiresAt));
    }

    /** Consumes the nonce for this device; tells a replay apart from a nonce that never was (or has expired). */
    Mono<Use> consume(String orgId, String deviceId, String nonce) {
        Instant now = clock.instant();
        return Mono.from(nonces.findOneAndUpdate(and(eq("_id", nonce), eq("orgId", orgId), eq("deviceId", deviceId),
                        eq("usedAt", null)), Updates.set("usedAt", Documents.date(now)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE)))
                .map(d -> d.getDate("expiresAt").toInstant().isAfter(now) ? Use.FRESH : Use.UNKNOWN_OR_EXPIRED)
                .switchIfEmpty(Mono.defer(() -> Mono.from(nonces.find(and(eq("_id", nonce), eq("orgId", orgId),
                                eq("deviceId", deviceId))).first())
                        .map(d -> Use.REPLAYED)
                        .defaultIfEmpty(Use.UNKNOWN_OR_EXPIRED)));
    }

    Mono<Long> sweep() {
        // keep used nonces a while after expiry, so a late replay is still recognised as one
        return Mono.from(nonces.deleteMany(lt("expiresAt", Documents.date(clock.instant().minus(Duration.ofDays(1))))))
                .map(r -> r.getDeletedCount());
    }
}
