package org.wardfleet.wctp.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.wctp.WctpSenderAdministration.Registered;

import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
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
        String pin = pin(clientCertificateSha256);
        Sender s = new Sender(senderId, orgId, List.copyOf(allowed), saltText, hash(saltText, code),
                responseUrls == null ? List.of() : List.copyOf(responseUrls), pin);
        return Mono.from(senders.insertOne(new Document("_id", senderId).append("orgId", orgId)
                .append("allowedRecipients", s.allowedRecipients()).append("salt", saltText).append("hash", s.hash())
                .append("responseUrls", s.responseUrls()).append("clientCertificateSha256", pin)
                .append("createdAt", Documents.date(Instant.now())))).thenReturn(s);
    }

    /** The WCTP sign-in lookup: by sender id alone, as WCTP carries no organisation. */
    Mono<Sender> find(String senderId) {
        return Mono.from(senders.find(eq("_id", senderId)).first()).map(WctpSenders::toSender);
    }

    Mono<Registered> find(String orgId, String senderId) {
        return Mono.from(senders.find(and(eq("_id", senderId), eq("orgId", orgId))).projection(SHOWN).first())
                .map(WctpSenders::toRegistered);
    }

    /** The organisation's senders by id. A read of its senders (a handful; the embedded server scans). */
    Flux<Registered> list(String orgId, int skip, int limit) {
        return Flux.from(senders.find(eq("orgId", orgId)).projection(SHOWN).sort(Sorts.ascending("_id")).skip(skip)
                .limit(limit)).map(WctpSenders::toRegistered);
    }

    Mono<Long> count(String orgId) {
        return Mono.from(senders.countDocuments(eq("orgId", orgId)));
    }

    /** New allowed recipients, response URLs and certificate pin (null: none); empty when there is no such sender. */
    Mono<Registered> change(String orgId, String senderId, List<String> allowed, List<String> responseUrls,
            String clientCertificateSha256) {
        return Mono.from(senders.updateOne(and(eq("_id", senderId), eq("orgId", orgId)), Updates.combine(
                        Updates.set("allowedRecipients", List.copyOf(allowed)),
                        Updates.set("responseUrls", responseUrls == null ? List.of() : List.copyOf(responseUrls)),
                        Updates.set("clientCertificateSha256", pin(clientCertificateSha256)),
                        Updates.set("updatedAt", Documents.date(Instant.now())))))
                .filter(r -> r.getMatchedCount() == 1)
                .flatMap(r -> find(orgId, senderId));
    }

    /** A new security code (fresh salt); the old one stops working at once. Empty when there is no such sender. */
    Mono<Registered> changeCode(String orgId, String senderId, String code, Instant at) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String saltText = Base64.getEncoder().encodeToString(salt);
        return Mono.from(senders.updateOne(and(eq("_id", senderId), eq("orgId", orgId)), Updates.combine(
                        Updates.set("salt", saltText), Updates.set("hash", hash(saltText, code)),
                        Updates.set("securityCodeChangedAt", Documents.date(at)))))
                .filter(r -> r.getMatchedCount() == 1)
                .flatMap(r -> find(orgId, senderId));
    }

    private static final org.bson.conversions.Bson SHOWN = com.mongodb.client.model.Projections.include(
            "allowedRecipients", "responseUrls", "clientCertificateSha256", "createdAt", "securityCodeChangedAt");

    private static String pin(String clientCertificateSha256) {
        return clientCertificateSha256 == null ? null
                : clientCertificateSha256.replace(":", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static Sender toSender(Document d) {
        return new Sender(d.getString("_id"), d.getString("orgId"), d.getList("allowedRecipients", String.class),
                d.getString("salt"), d.getString("hash"), d.getList("responseUrls", String.class, List.of()),
                d.getString("clientCertificateSha256"));
    }

    private static Registered toRegistered(Document d) {
        return new Registered(d.getString("_id"), d.getList("allowedRecipients", String.class, List.of()),
                d.getList("responseUrls", String.class, List.of()), d.getString("clientCertificateSha256"),
                Documents.instant(d.getDate("createdAt")), Documents.instant(d.getDate("securityCodeChangedAt")));
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
