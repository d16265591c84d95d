package org.wardfleet.policy.internal;

import static com.mongodb.client.model.Filters.eq;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.secrets.DataKey;
import org.wardfleet.platform.secrets.Sealer;
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
 * names the device ({@code sub}), so a policy captured from one device is refused by every other. The private key is
 * stored sealed with the data key ({@code sealedJwk}, bound to the organisation); keys an earlier version stored in
 * clear ({@code jwk}) are sealed at startup.
 */
@Component
class PolicySigner implements IndexedCollection {

    static final JOSEObjectType TYPE = new JOSEObjectType("wf-policy+jwt");
    static final String PURPOSE = "policy-signing-keys";

    private final MongoCollection<Document> keys;
    private final Sealer sealer;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final Map<String, ECKey> cache = new ConcurrentHashMap<>();

    PolicySigner(MongoDatabase db, DataKey dataKey, PublicUrl publicUrl, Clock clock) {
        this.keys = db.getCollection("policy_signing_keys");
        this.sealer = dataKey.sealer(PURPOSE);
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** Startup: seal the keys an earlier version stored in clear. */
    @Override
    public Publisher<?> createIndexes() {
        return sealer.sealInPlace(keys, "jwk", "sealedJwk");
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
                .map(this::parse)
                .doOnNext(k -> cache.put(orgId, k));
    }

    /** Two instances creating the key at once: the unique _id keeps the first, the other reads it. */
    private Mono<Document> create(String orgId) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID("wfp-" + UUID.randomUUID()).generate();
            Document doc = new Document("_id", orgId).append("sealedJwk", sealer.seal(key.toJSONString(), orgId))
                    .append("createdAt", Documents.date(clock.instant()));
            return Mono.from(keys.insertOne(doc)).thenReturn(doc)
                    .onErrorResume(Documents::isDuplicateKey, taken -> Mono.from(keys.find(eq("_id", orgId)).first()));
        } catch (JOSEException e) {
            return Mono.error(new IllegalStateException("Cannot generate a policy signing key", e));
        }
    }

    private ECKey parse(Document d) {
        try {
            return ECKey.parse(sealer.openStored(d, "sealedJwk", "jwk"));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored policy signing key is unreadable", e);
        }
    }
}
