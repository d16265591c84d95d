package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.OctetSequenceKey;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A device's message key: a random AES-256 key the device asks for once ({@code POST /device/v1/message-key}) and
 * receives as a JWE to its enrolled key (the one key agreement), after which every message reaches it as
 * {@code A256KW}/{@code A256GCM} under that key — a key wrap instead of an elliptic-curve key agreement per message,
 * per device (about 100 times cheaper on both ends; what makes a 10,000-phone broadcast CPU-cheap). Devices that
 * never ask keep getting ECDH-ES per message. Stored sealed by the organisation's data key
 * ({@code device_message_keys}), bound to the device, the key id and the device's enrolled key (a renewal with a new
 * key retires the message key).
 * <p>
 * A new key is only <em>pending</em> until the device confirms it has it ({@link #confirm}): pushes and fetches keep
 * using the key before it (or ECDH-ES) meanwhile. So an issue whose answer never reached the device — lost on the
 * network, or a step after storing that failed — leaves nothing in use that the device cannot open; the next issue
 * simply replaces the pending key.
 */
@Component
class MessageKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key a device holds; {@code kid} names it in each message's JWE header. */
    record MessageKey(String kid, SecretKey key) {
    }

    /** A device and the key it holds. */
    record Held(Device device, MessageKey key) {
    }

    /** A new key as the device receives it: a compact JWE (to its enrolled key) of the key as a JWK. */
    record Issued(String kid, String jwe) {
    }

    /** What a confirmation did: made the pending key the one in use, found it in use already, or knew no such key. */
    enum Confirmed { ACTIVATED, ALREADY_ACTIVE, UNKNOWN }

    private final MongoCollection<Document> keys;
    private final MessageCrypto crypto;
    private final Clock clock;

    MessageKeys(MongoDatabase db, MessageCrypto crypto, Clock clock) {
        this.keys = db.getCollection("device_message_keys");
        this.crypto = crypto;
        this.clock = clock;
    }

    /**
     * A fresh key for the device, stored as pending (replacing any earlier pending one; the key in use stays in use):
     * it is used only after the device confirms it.
     */
    Mono<Issued> issue(Device device) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String kid = "mk-" + UUID.randomUUID();
        String encoded = Base64.getEncoder().encodeToString(raw);
        return Mono.fromCallable(() -> new Issued(kid, wrapForDevice(device, kid, raw)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(issued -> crypto.encrypt(device.orgId(), binding(device, kid), encoded)
                        .flatMap(sealed -> Mono.from(keys.updateOne(eq("_id", device.id()), Updates.combine(
                                Updates.set("orgId", device.orgId()), Updates.set("pendingKid", kid),
                                Updates.set("pendingSealed", sealed),
                                Updates.set("pendingAt", Documents.date(clock.instant()))),
                                new UpdateOptions().upsert(true))))
                        .thenReturn(issued));
    }

    /**
     * The device has key {@code kid}: if it is the pending one it becomes the key in use (one conditional update, so
     * two confirmations cannot both do it); confirming the key already in use again changes nothing.
     */
    Mono<Confirmed> confirm(Device device, String kid) {
        return stored(device)
                .flatMap(d -> {
                    if (kid.equals(d.getString("kid"))) {
                        return Mono.just(Confirmed.ALREADY_ACTIVE);
                    }
                    if (!kid.equals(d.getString("pendingKid"))) {
                        return Mono.just(Confirmed.UNKNOWN);
                    }
                    return Mono.from(keys.updateOne(and(eq("_id", device.id()), eq("pendingKid", kid)),
                                    Updates.combine(Updates.set("kid", kid),
                                            Updates.set("sealed", d.getString("pendingSealed")),
                                            Updates.set("createdAt", Documents.date(clock.instant())),
                                            Updates.unset("pendingKid"), Updates.unset("pendingSealed"),
                                            Updates.unset("pendingAt"))))
                            .flatMap(r -> r.getModifiedCount() == 1 ? Mono.just(Confirmed.ACTIVATED)
                                    : confirm(device, kid)); // confirmed at the same moment elsewhere: look again
                })
                .defaultIfEmpty(Confirmed.UNKNOWN);
    }

    /**
     * The key to encrypt a fetch under, for a device that says it holds {@code heldKid}: the key in use if that is
     * the one it holds (or it did not say: older apps), otherwise none — ECDH-ES to its enrolled key, which it always
     * holds. A device that lost its key, or never got the one now in use, can always read what it fetches.
     */
    Mono<Optional<MessageKey>> forFetch(Device device, String heldKid) {
        return current(device).map(key -> heldKid == null || key.filter(k -> k.kid().equals(heldKid)).isPresent()
                ? key : Optional.<MessageKey>empty());
    }

    /**
     * The device's current key, if it asked for one under its current enrolled key. A key issued to an earlier
     * enrolled key (the certificate was renewed with a new key) no longer opens — its binding named the old key — and
     * the device gets ECDH-ES to its new key until it asks again: whoever held the old private key, and so could
     * unwrap the old message key, reads nothing new.
     */
    Mono<Optional<MessageKey>> current(Device device) {
        return stored(device)
                .flatMap(d -> open(device, d))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    /** A stored key unsealed for its device; empty if none is in use yet or it no longer opens (stale binding). */
    /**
     * The device's key document, looked up by {@code _id} alone and checked for its organisation here: the embedded
     * server uses the {@code _id} index only for a query on exactly {@code _id}; with the organisation in the query it
     * reads every device's key (issue 24, page to one device).
     */
    private Mono<Document> stored(Device device) {
        return Mono.from(keys.find(eq("_id", device.id())).first()).filter(d -> inOrg(d, device.orgId()));
    }

    private static boolean inOrg(Document stored, String orgId) {
        return orgId.equals(stored.getString("orgId"));
    }

    private Mono<MessageKey> open(Device device, Document stored) {
        String kid = stored.getString("kid");
        if (kid == null) {
            return Mono.empty();
        }
        return crypto.decrypt(device.orgId(), binding(device, kid), stored.getString("sealed"))
                .map(encoded -> new MessageKey(kid, new SecretKeySpec(Base64.getDecoder().decode(encoded), "AES")))
                .onErrorResume(IllegalStateException.class, stale -> Mono.empty());
    }

    /**
     * The current keys of many devices (one query, read 1,000 at a time), handed out in chunks of {@code size} as
     * they arrive, each chunk unsealed on a parallel worker rather than on the driver's thread: a broadcast encrypts
     * and pushes the first chunks while later keys are still being read. Devices without a key under their current
     * enrolled key are left out.
     */
    Flux<List<Held>> currentInChunks(String orgId, List<Device> devices, int size) {
        if (devices.isEmpty()) {
            return Flux.empty();
        }
        Map<String, Device> byId = new HashMap<>();
        devices.forEach(d -> byId.put(d.id(), d));
        // an explicit batch size: without one the reactive driver sizes each getMore by the subscriber's demand,
        // and 10,000 keys took 300 round trips — three seconds of a broadcast. By _id alone (see stored(device)): a
        // page to one person read every device's key before its copy went out
        return Flux.from(keys.find(in("_id", byId.keySet())).batchSize(1_000))
                .filter(d -> inOrg(d, orgId))
                .buffer(size)
                .flatMap(stored -> Flux.fromIterable(stored)
                        .concatMap(d -> {
                            Device device = byId.get(d.getString("_id"));
                            return open(device, d).map(key -> new Held(device, key));
                        })
                        .collectList()
                        .subscribeOn(Schedulers.parallel()));
    }

    /** Which devices have a stored key, by organisation (ids only): what the housekeeping sweep checks. */
    Mono<Map<String, Collection<String>>> holders() {
        return Flux.from(keys.find()
                        .projection(com.mongodb.client.model.Projections.include("orgId")).batchSize(1_000))
                .collectMultimap(d -> d.getString("orgId"), d -> d.getString("_id"));
    }

    /** Deletes these devices' keys; returns how many. */
    Mono<Long> forget(String orgId, Collection<String> deviceIds) {
        return Mono.from(keys.deleteMany(and(eq("orgId", orgId), in("_id", deviceIds))))
                .map(com.mongodb.client.result.DeleteResult::getDeletedCount);
    }

    /**
     * Deletes the device's key unless the device was issued a pending one at or after {@code since}: the key of a
     * replaced credential goes, one the device asked for right after its renewal stays.
     */
    Mono<Long> forgetIssuedBefore(String orgId, String deviceId, java.time.Instant since) {
        return Mono.from(keys.deleteOne(and(eq("_id", deviceId), eq("orgId", orgId),
                        com.mongodb.client.model.Filters.or(eq("pendingAt", null),
                                com.mongodb.client.model.Filters.lt("pendingAt", Documents.date(since))))))
                .map(com.mongodb.client.result.DeleteResult::getDeletedCount);
    }

    /** A sealed key copied to another device's record, relabelled, or left from an earlier enrolled key does not open. */
    private static String binding(Device device, String kid) {
        return "message-key:" + device.id() + ":" + kid + ":" + fingerprint(device.publicKey());
    }

    private static String fingerprint(String publicKey) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(publicKey.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wrapForDevice(Device device, String kid, byte[] raw) throws Exception {
        OctetSequenceKey jwk = new OctetSequenceKey.Builder(raw).keyID(kid).algorithm(JWEAlgorithm.A256KW).build();
        return DeviceCopies.encryptFor(device, new Payload(jwk.toJSONObject()), "jwk+json");
    }
}
