package org.wardfleet.policy.internal;

import static com.mongodb.client.model.Filters.eq;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.web.PublicUrl;
import org.wardfleet.policy.EffectivePolicy;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Mono;

/**
 * Signs effective policies for devices with the organisation's own policy key (ES256; {@code policy_signing_keys},
 * created on first use, one per organisation, so one hospital's key never vouches for another's policy). The JWS
 * names the device ({@code sub}), so a policy captured from one device is refused by every other.
 */
@Component
class PolicySigner {

    static final JOSEObjectType TYPE = new JOSEObjectType("wf-policy+jwt");

    private final MongoCollection<Document> keys;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final Map<String, ECKey> cache = new ConcurrentHashMap<>();

    PolicySigner(MongoDatabase db, PublicUrl publicUrl, Clock clock) {
        this.keys = db.getCollection("policy_signing_keys");
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    Mono<String> sign(String orgId, EffectivePolicy policy) {
        return key(orgId).map(key -> {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(publicUrl.resolve("/"))
                    .subject(policy.deviceId())
                    .issueTime(Date.from(clock.instant()))
                    .jwtID(UUID.randomUUID().toString())
                    .claim("org", orgId)
                    .claim("ver", policy.version())
                    .claim("gen", policy.generation())
                    .claim("settings", EffectivePolicyCalculator.nested(policy.settings()))
                    .claim("policies", policy.policies().stream().map(p -> Map.of("id", p.id(), "name", p.name(),
                            "version", p.version())).toList())
                    .build();
            try {
                SignedJWT jws = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                        .type(TYPE).build(), claims);
                jws.sign(new ECDSASigner(key));
                return jws.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException("Cannot sign a policy", e);
            }
        });
    }

    Mono<JWKSet> publicKeys(String orgId) {
        return key(orgId).map(key -> new JWKSet(key.toPublicJWK()));
    }

    private Mono<ECKey> key(String orgId) {
        ECKey cached = cache.get(orgId);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.from(keys.find(eq("_id", orgId)).first())
                .switchIfEmpty(Mono.defer(() -> create(orgId)))
                .map(d -> parse(d.getString("jwk")))
                .doOnNext(k -> cache.put(orgId, k));
    }

    /** Two instances creating the key at once: the unique _id keeps the first, the other reads it. */
    private Mono<Document> create(String orgId) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID("wfp-" + UUID.randomUUID()).generate();
            Document doc = new Document("_id", orgId).append("jwk", key.toJSONString())
                    .append("createdAt", Documents.date(clock.instant()));
            return Mono.from(keys.insertOne(doc)).thenReturn(doc)
                    .onErrorResume(Documents::isDuplicateKey, taken -> Mono.from(keys.find(eq("_id", orgId)).first()));
        } catch (JOSEException e) {
            return Mono.error(new IllegalStateException("Cannot generate a policy signing key", e));
        }
    }

    private static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("Stored policy signing key is unreadable", e);
        }
    }
}
