package org.wardfleet.platform.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * AES-256-GCM under a key derived from the {@link DataKey} for one purpose. A sealed value reads
 * {@code wfsealed.v1.<key id>.<iv>.<ciphertext>} (base64url): the key id (a fingerprint of the derived key, not the
 * key) says which data key sealed it, so a server started with another data key says so instead of failing on a tag.
 * The associated data binds the value to its purpose and to the record it belongs to ({@code context}, e.g. a key id):
 * a sealed value copied into another record or collection does not open.
 */
public final class Sealer {

    private static final Logger log = LoggerFactory.getLogger(Sealer.class);
    static final String PREFIX = "wfsealed.v1.";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String purpose;
    private final SecretKey key;
    private final String keyId;

    Sealer(String purpose, SecretKey key) {
        this.purpose = purpose;
        this.key = key;
        this.keyId = fingerprint(key);
    }

    /** True for a value {@link #seal} wrote (whatever key); false for a clear one from before sealing. */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String seal(String plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return PREFIX + keyId + "." + b64.encodeToString(iv) + "." + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a " + purpose + " value", e);
        }
    }

    /** The clear value; a clear error if it was sealed with another data key, for another record, or altered. */
    public String open(String sealed, String context) {
        String[] parts = sealed == null || !isSealed(sealed) ? null : sealed.substring(PREFIX.length()).split("\\.");
        if (parts == null || parts.length != 3) {
            throw new IllegalStateException("A stored " + purpose + " value is not sealed");
        }
        if (!MessageDigest.isEqual(parts[0].getBytes(StandardCharsets.US_ASCII),
                keyId.getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalStateException("A stored " + purpose + " value was sealed with another data key (key id "
                    + parts[0] + "; this server's is " + keyId + "): start with the data key it was sealed with");
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, b64.decode(parts[1])));
            cipher.updateAAD(aad(context));
            return new String(cipher.doFinal(b64.decode(parts[2])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored " + purpose + " value (" + context
                    + ") does not open: altered, or moved from another record", e);
        }
    }

    /**
     * A stored document's secret: {@code sealedField} opened with the document's {@code _id} as context, or — only
     * between an earlier version writing it and {@link #sealInPlace} at this version's startup — {@code clearField}.
     */
    public String openStored(Document document, String sealedField, String clearField) {
        String sealed = document.getString(sealedField);
        return sealed != null ? open(sealed, document.getString("_id")) : document.getString(clearField);
    }

    /**
     * Startup migration: every document still holding {@code clearField} gets it sealed into {@code sealedField}
     * (context: its {@code _id}) and the clear value removed. Each update names the clear value it replaces, so
     * instances starting together change nothing twice.
     *
     * @return how many documents this call sealed
     */
    public Mono<Long> sealInPlace(MongoCollection<Document> collection, String clearField, String sealedField) {
        return Flux.from(collection.find(Filters.and(Filters.exists(clearField), Filters.exists(sealedField, false))))
                .concatMap(d -> Mono.from(collection.updateOne(
                        Filters.and(Filters.eq("_id", d.get("_id")), Filters.eq(clearField, d.getString(clearField))),
                        Updates.combine(Updates.set(sealedField, seal(d.getString(clearField), d.getString("_id"))),
                                Updates.unset(clearField)))))
                .reduce(0L, (sealed, result) -> sealed + result.getModifiedCount())
                .doOnNext(sealed -> {
                    if (sealed > 0) {
                        log.info("Sealed {} {} value(s) stored in clear by an earlier version", sealed, purpose);
                    }
                });
    }

    private byte[] aad(String context) {
        byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
        byte[] c = context.getBytes(StandardCharsets.UTF_8);
        // length-prefixed: ("ab", "c") and ("a", "bc") are different associated data
        return ByteBuffer.allocate(8 + p.length + c.length).putInt(p.length).put(p).putInt(c.length).put(c).array();
    }

    private static String fingerprint(SecretKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] id = mac.doFinal("wardfleet key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(id, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Sealer[" + purpose + ", key id " + keyId + "]";
    }
}
