package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.eq;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bson.Document;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.DataDirectory;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.secrets.LocalSecret;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Envelope encryption of message bodies at rest: each organisation has a random AES-256 data key
 * ({@code messaging_keys}), stored wrapped (AES-256-GCM) by a master key derived (SHA-256) from the configured
 * master secret. Bodies are AES-256-GCM with a random 96-bit IV and the message id as associated data, so a
 * ciphertext moved to another message does not decrypt. Rotating the master secret: re-wrap the data keys
 * (docs/messaging.md).
 */
@Component
class MessageCrypto {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> keys;
    private final SecretKey master;
    private final Map<String, SecretKey> dataKeys = new ConcurrentHashMap<>();

    MessageCrypto(MongoDatabase db, MessagingProperties properties, DataDirectory data, Environment environment) {
        this.keys = db.getCollection("messaging_keys");
        String secret = LocalSecret.resolve(properties.masterKey(), properties.masterKeyFile(),
                data.dataDir().resolve("messaging-master-key"),
                Arrays.asList(environment.getActiveProfiles()).contains("prod"),
                "a messaging master key: set WARDFLEET_MESSAGING_MASTER_KEY (wardfleet.messaging.master-key) or "
                        + "wardfleet.messaging.master-key-file", 32);
        this.master = new SecretKeySpec(sha256(secret.getBytes(StandardCharsets.UTF_8)), "AES");
    }

    Mono<String> encrypt(String orgId, String messageId, String text) {
        return dataKey(orgId).map(key -> seal(key, text.getBytes(StandardCharsets.UTF_8), messageId));
    }

    Mono<String> decrypt(String orgId, String messageId, String sealed) {
        return dataKey(orgId).map(key -> new String(open(key, sealed, messageId), StandardCharsets.UTF_8));
    }

    /**
     * A key for {@code purpose} derived from the organisation's data key (HMAC-SHA256 of the purpose's name): every
     * instance derives the same key, and none is stored.
     */
    Mono<SecretKey> derived(String orgId, String purpose) {
        return dataKey(orgId).map(key -> new SecretKeySpec(hmac(key, purpose), "HmacSHA256"));
    }

    static byte[] hmac(SecretKey key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Mono<SecretKey> dataKey(String orgId) {
        SecretKey cached = dataKeys.get(orgId);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.from(keys.find(eq("_id", orgId)).first())
                .switchIfEmpty(Mono.defer(() -> create(orgId)))
                .map(d -> (SecretKey) new SecretKeySpec(open(master, d.getString("wrapped"), orgId), "AES"))
                .doOnNext(k -> dataKeys.put(orgId, k));
    }

    /** Two instances creating the key at once: the unique _id keeps one, the other reads it. */
    private Mono<Document> create(String orgId) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Document doc = new Document("_id", orgId).append("wrapped", seal(master, key, orgId)).append("version", 1)
                .append("createdAt", new java.util.Date());
        return Mono.from(keys.insertOne(doc)).thenReturn(doc)
                .onErrorResume(Documents::isDuplicateKey, taken -> Mono.from(keys.find(eq("_id", orgId)).first()));
    }

    private static String seal(SecretKey key, byte[] plain, String associated) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt", e);
        }
    }

    private static byte[] open(SecretKey key, String sealed, String associated) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, 12, in.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt: wrong key or tampered data", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
