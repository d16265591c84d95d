package org.wardfleet.compliance.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import org.bson.Document;
import org.springframework.stereotype.Component;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Each iOS device's attested App Attest key ({@code apple_app_keys}) and the highest assertion counter accepted, so
 * later reports can prove the same hardware key without a new attestation, and a replayed or cloned assertion
 * (counter not rising) fails. The counter only moves forward, by a conditional update.
 */
@Component
class AppleKeys {

    private final MongoCollection<Document> keys;

    AppleKeys(MongoDatabase db) {
        this.keys = db.getCollection("apple_app_keys");
    }

    record Key(String keyId, String publicKey, long counter) {
    }

    Mono<Void> attested(String orgId, String deviceId, String keyId, String publicKey) {
        return Mono.from(keys.replaceOne(and(eq("_id", deviceId), eq("orgId", orgId)), new Document("_id", deviceId)
                .append("orgId", orgId).append("keyId", keyId).append("publicKey", publicKey).append("counter", 0L),
                new ReplaceOptions().upsert(true))).then();
    }

    Mono<Key> find(String orgId, String deviceId, String keyId) {
        return Mono.from(keys.find(and(eq("_id", deviceId), eq("orgId", orgId), eq("keyId", keyId))).first())
                .map(d -> new Key(d.getString("keyId"), d.getString("publicKey"),
                        ((Number) d.get("counter")).longValue()));
    }

    /** True when this call moved the counter forward (a concurrent report with the same counter loses). */
    Mono<Boolean> advance(String orgId, String deviceId, long counter) {
        return Mono.from(keys.updateOne(and(eq("_id", deviceId), eq("orgId", orgId), lt("counter", counter)),
                Updates.set("counter", counter))).map(r -> r.getModifiedCount() == 1);
    }
}
