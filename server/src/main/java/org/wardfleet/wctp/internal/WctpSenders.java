package org.wardfleet.wctp.internal;

import static com.mongodb.client.model.Filters.eq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Registered WCTP senders ({@code wctp_senders}): sender id (unique across the deployment, as WCTP carries no
 * organisation), the organisation it pages into, its security code stored only as a salted SHA-256, and the
 * recipients it may address ({@code role:*}, {@code user:*}, a trailing {@code *} matches any suffix).
 */
@Component
class WctpSenders {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final MongoCollection<Document> senders;

    WctpSenders(MongoDatabase db) {
        this.senders = db.getCollection("wctp_senders");
    }

    record Sender(String senderId, String orgId, List<String> allowedRecipients, String salt, String hash,
            List<String> responseUrls, String clientCertificateSha256) {

        /** Where status goes: {@code asked} when registered, the first registered URL when none was asked; null when none. */
        String responseUrl(String asked) {
            if (asked == null || asked.isBlank()) {
                return responseUrls.isEmpty() ? null : responseUrls.get(0);
            }
            return responseUrls.contains(asked.trim()) ? asked.trim() : "";
        }

        boolean codeMatches(String code) {
            return code != null && MessageDigest.isEqual(WctpSenders.hash(salt, code).getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
        }

        boolean allows(String recipient) {
            return allowedRecipients.stream().anyMatch(p -> p.endsWith("*")
                    ? recipient.startsWith(p.substring(0, p.length() - 1)) : recipient.equals(p));
        }
    }

    Mono<Sender> register(String orgId, String senderId, String code, List<String> allowed,
            List<String> responseUrls, String clientCertificateSha256) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String saltText = Base64.getEncoder().encodeToString(salt);
        String pin = clientCertificateSha256 == null ? null
                : clientCertificateSha256.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        Sender s = new Sender(senderId, orgId, List.copyOf(allowed), saltText, hash(saltText, code),
                responseUrls == null ? List.of() : List.copyOf(responseUrls), pin);
        return Mono.from(senders.insertOne(new Document("_id", senderId).append("orgId", orgId)
                .append("allowedRecipients", s.allowedRecipients()).append("salt", saltText).append("hash", s.hash())
                .append("responseUrls", s.responseUrls()).append("clientCertificateSha256", pin)
                .append("createdAt", Documents.date(java.time.Instant.now())))).thenReturn(s);
    }

    Mono<Sender> find(String senderId) {
        return Mono.from(senders.find(eq("_id", senderId)).first()).map(d -> new Sender(d.getString("_id"),
                d.getString("orgId"), d.getList("allowedRecipients", String.class), d.getString("salt"),
                d.getString("hash"), d.getList("responseUrls", String.class, List.of()),
                d.getString("clientCertificateSha256")));
    }

    static String hash(String salt, String code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Base64.getDecoder().decode(salt));
            return Base64.getEncoder().encodeToString(digest.digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
