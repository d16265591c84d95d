package org.wardfleet.push.internal;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.secrets.DataKey;
import org.wardfleet.platform.secrets.Sealer;
import org.wardfleet.platform.web.PublicUrl;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Mono;

/**
 * The VAPID key pair (RFC 8292): one P-256 key for the whole server, generated at first start by whichever instance
 * gets there first ({@code _id} decides), stored sealed with the data key like the token signing keys. Browsers
 * subscribe with its public key, and a push service accepts messages for those subscriptions only with a JWT it
 * signed: a copy of the subscriptions alone sends nothing.
 */
@Component
class VapidKeys implements IndexedCollection {

    static final String PURPOSE = "web-push-vapid-key";
    private static final String ID = "vapid";
    /** RFC 8292 2: at most 24 hours; shorter keeps a leaked header useless sooner. */
    static final Duration JWT_LIFETIME = Duration.ofHours(12);

    private final MongoCollection<Document> keys;
    private final Sealer sealer;
    private final Clock clock;
    private final String subject;
    private final AtomicReference<ECKey> key = new AtomicReference<>();

    VapidKeys(MongoDatabase db, DataKey dataKey, Clock clock, PublicUrl publicUrl) {
        this.keys = db.getCollection("web_push_keys");
        this.sealer = dataKey.sealer(PURPOSE);
        this.clock = clock;
        // RFC 8292 2.1: a contact for the push service's operator; the server's https address is one
        this.subject = publicUrl.publicUrl().toString();
    }

    @Override
    public Publisher<?> createIndexes() {
        return Mono.from(keys.find(Filters.eq("_id", ID)).first())
                .switchIfEmpty(Mono.defer(this::insert))
                .doOnNext(d -> key.set(parse(d)));
    }

    private Mono<Document> insert() {
        try {
            ECKey generated = new ECKeyGenerator(Curve.P_256).keyID(ID).generate();
            Document doc = new Document("_id", ID).append("sealedJwk", sealer.seal(generated.toJSONString(), ID))
                    .append("createdAt", Documents.date(clock.instant()));
            return Mono.from(keys.insertOne(doc)).thenReturn(doc)
                    // another instance generated it first: use theirs
                    .onErrorResume(Documents::isDuplicateKey, taken -> Mono.from(keys.find(Filters.eq("_id", ID))
                            .first()));
        } catch (JOSEException e) {
            return Mono.error(new IllegalStateException("Cannot generate the VAPID key", e));
        }
    }

    private ECKey parse(Document d) {
        try {
            return ECKey.parse(sealer.open(d.getString("sealedJwk"), ID));
        } catch (ParseException e) {
            throw new IllegalStateException("The stored VAPID key is unreadable", e);
        }
    }

    /** The public key as browsers take it ({@code applicationServerKey}): base64url of the uncompressed point. */
    String publicKey() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    WebPushCrypto.uncompressed(loaded().toECPublicKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 8292 3: {@code Authorization: vapid t=<JWT for the endpoint's origin>, k=<public key>}. */
    String authorization(URI endpoint) {
        String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(origin)
                .expirationTime(Date.from(clock.instant().plus(JWT_LIFETIME))).subject(subject).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new ECDSASigner(loaded()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a VAPID token", e);
        }
        return "vapid t=" + jwt.serialize() + ", k=" + publicKey();
    }

    private ECKey loaded() {
        ECKey loaded = key.get();
        if (loaded == null) {
            throw new IllegalStateException("The VAPID key is not loaded yet");
        }
        return loaded;
    }
}
