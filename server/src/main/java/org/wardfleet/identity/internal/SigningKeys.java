package org.wardfleet.identity.internal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.secrets.DataKey;
import org.wardfleet.platform.secrets.Sealer;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The access-token signing keys (ES256), shared by every instance through {@code token_signing_keys}. The newest
 * key signs; all keys verify until removed, which is how rotation works (see docs/operations.md). A key another
 * instance added is picked up on the first token that names its {@code kid}. Each private key is stored sealed with
 * the data key ({@code sealedJwk}, bound to its {@code kid}): a copy of the database forges no token. Keys stored in
 * clear by earlier versions ({@code jwk}) are sealed at startup.
 */
@Component
class SigningKeys implements IndexedCollection {

    private static final Duration RELOAD_AT_MOST_EVERY = Duration.ofSeconds(5);
    /** How often each instance reloads the keys and checks whether a rotation is due. */
    static final Duration CHECK_EVERY = Duration.ofMinutes(10);

    static final String PURPOSE = "token-signing-keys";
    /** Key documents: sealed, or in clear from before sealing until startup seals them. */
    private static final Bson STORED_KEYS = Filters.or(Filters.exists("sealedJwk"), Filters.exists("jwk"));

    private final MongoCollection<Document> keys;
    private final Sealer sealer;
    private final Clock clock;
    private final IdentityProperties properties;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>(new Loaded(List.of(), null));

    private record Loaded(List<ECKey> keys, Instant at) {
    }

    SigningKeys(MongoDatabase db, DataKey dataKey, Clock clock, IdentityProperties properties) {
        this.keys = db.getCollection("token_signing_keys");
        this.sealer = dataKey.sealer(PURPOSE);
        this.clock = clock;
        this.properties = properties;
    }

    /** Runs at startup with the indexes: seal keys left in clear, make sure a key exists, then load them all. */
    @Override
    public Publisher<?> createIndexes() {
        return sealer.sealInPlace(keys, "jwk", "sealedJwk")
                .flatMap(sealed -> sealed == 0 ? Mono.empty() : exposedKeysReplaced(sealed))
                .then(Mono.from(keys.find().first()))
                .switchIfEmpty(Mono.defer(this::insertNewKey))
                .then(rotateIfDue());
    }

    /**
     * Rotation, run by every instance every {@link #CHECK_EVERY}: once the newest key is
     * {@code signing-key-lifetime} old, add a new one. Its id is derived from the rotation period, so instances
     * checking at the same moment add one key between them (the unique {@code _id} decides). Older keys keep
     * verifying until no token they signed can still be valid: every instance has switched to the newer key within
     * {@link #CHECK_EVERY}, and its tokens expire {@code token-ttl} later; then they are deleted.
     *
     * @return whether this call added a key
     */
    Mono<Boolean> rotateIfDue() {
        Instant now = clock.instant();
        return newestCreatedAt().flatMap(newest -> {
            if (newest.plus(properties.signingKeyLifetime()).isAfter(now)) {
                return Mono.just(false);
            }
            long period = now.toEpochMilli() / properties.signingKeyLifetime().toMillis();
            return insertKey("wf-p" + period).thenReturn(true)
                    .onErrorResume(Documents::isDuplicateKey, taken -> Mono.just(false));
        }).defaultIfEmpty(false)
                .flatMap(added -> retireOldKeys(now).thenReturn(added))
                .flatMap(added -> reload().thenReturn(added));
    }

    private Mono<Instant> newestCreatedAt() {
        return Flux.from(keys.find(STORED_KEYS))
                .map(d -> d.getDate("createdAt").toInstant())
                .reduce((a, b) -> a.isAfter(b) ? a : b);
    }

    private Mono<Void> retireOldKeys(Instant now) {
        Duration grace = properties.tokenTtl().plus(CHECK_EVERY.multipliedBy(2));
        return newestCreatedAt()
                .filter(newest -> !newest.plus(grace).isAfter(now))
                .flatMap(newest -> Mono.from(keys.deleteMany(Filters.and(STORED_KEYS,
                        Filters.lt("createdAt", Documents.date(newest))))))
                .then();
    }

    ECKey current() {
        List<ECKey> all = loaded.get().keys();
        if (all.isEmpty()) {
            throw new IllegalStateException("No token signing key loaded");
        }
        return all.get(0);
    }

    /** The public keys, for {@code /.well-known/jwks.json}. */
    JWKSet publicKeys() {
        return new JWKSet(loaded.get().keys().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                .toList());
    }

    /** The key with this id, reloading once if another instance may have added it. */
    Flux<com.nimbusds.jose.jwk.JWK> byId(String kid) {
        return Mono.justOrEmpty(find(kid))
                .switchIfEmpty(Mono.defer(() -> mayReload() ? reload().mapNotNull(k -> find(kid)) : Mono.empty()))
                .map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                .flux();
    }

    /** Whether the key with this id still verifies tokens, as far as this instance has loaded the keys. */
    boolean verifies(String kid) {
        return find(kid) != null;
    }

    private ECKey find(String kid) {
        return loaded.get().keys().stream().filter(k -> k.getKeyID().equals(kid)).findFirst().orElse(null);
    }

    private boolean mayReload() {
        var at = loaded.get().at();
        return at == null || at.plus(RELOAD_AT_MOST_EVERY).isBefore(clock.instant());
    }

    Mono<List<ECKey>> reload() {
        return Flux.from(keys.find(STORED_KEYS))
                .sort(Comparator.comparing((Document d) -> d.getDate("createdAt")).reversed())
                .map(this::parse)
                .collectList()
                .doOnNext(list -> loaded.set(new Loaded(list, clock.instant())));
    }

    /**
     * Keys an earlier version kept in clear may have been copied by whoever could read the database file: a new key
     * signs from now on, and the old ones only verify tokens already issued until they expire (then they are
     * deleted like any rotated key), so a copied key forges nothing a day later.
     */
    private Mono<Void> exposedKeysReplaced(long sealed) {
        return insertNewKey().doOnSuccess(key -> LoggerFactory.getLogger(SigningKeys.class).warn(
                "{} token signing key(s) were stored in clear by an earlier version: treated as exposed, a new key "
                        + "signs from now on and they only verify tokens already issued until those expire",
                sealed)).then();
    }

    private Mono<Document> insertNewKey() {
        return insertKey("wf-" + UUID.randomUUID());
    }

    private Mono<Document> insertKey(String kid) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID(kid).generate();
            Document doc = new Document("_id", key.getKeyID())
                    .append("sealedJwk", sealer.seal(key.toJSONString(), key.getKeyID()))
                    .append("createdAt", Documents.date(clock.instant()));
            return Mono.from(keys.insertOne(doc)).thenReturn(doc);
        } catch (JOSEException e) {
            return Mono.error(new IllegalStateException("Cannot generate a token signing key", e));
        }
    }

    private ECKey parse(Document d) {
        try {
            return ECKey.parse(sealer.openStored(d, "sealedJwk", "jwk"));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored token signing key " + d.getString("_id") + " is unreadable", e);
        }
    }
}
