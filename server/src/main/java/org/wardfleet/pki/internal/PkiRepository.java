package org.wardfleet.pki.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import java.time.Instant;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code device_cas}: one CA per organisation ({@code _id = orgId}, so two instances creating it at once leave
 * one). {@code device_certificates}: every issued certificate by serial ({@code _id}), with its revocation.
 */
@Component
class PkiRepository {

    private final MongoCollection<Document> cas;
    private final MongoCollection<Document> certificates;

    PkiRepository(MongoDatabase db) {
        this.cas = db.getCollection("device_cas");
        this.certificates = db.getCollection("device_certificates");
    }

    record StoredCa(String orgId, String chainPem, String encryptedKeyPem, boolean imported) {
    }

    record CertificateRecord(String serial, String orgId, String deviceId, Instant notAfter, Instant revokedAt,
            int reason) {
    }

    Mono<StoredCa> findCa(String orgId) {
        return Mono.from(cas.find(eq("_id", orgId)).first()).map(PkiRepository::toCa);
    }

    /** Fails with a duplicate key if another instance created this organisation's CA first. */
    Mono<Void> insertCa(StoredCa ca, Instant at) {
        return Mono.from(cas.insertOne(toDocument(ca, at))).then();
    }

    Mono<Void> replaceCa(StoredCa ca, Instant at) {
        return Mono.from(cas.replaceOne(eq("_id", ca.orgId()), toDocument(ca, at), new ReplaceOptions().upsert(true)))
                .then();
    }

    /** The next CRL number (RFC 5280 5.2.3: monotonically increasing). */
    Mono<Long> nextCrlNumber(String orgId) {
        return Mono.from(cas.findOneAndUpdate(eq("_id", orgId), Updates.inc("crlNumber", 1L),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(d -> d.get("crlNumber", Number.class).longValue());
    }

    Mono<Void> insertCertificate(CertificateRecord c) {
        return Mono.from(certificates.insertOne(new Document("_id", c.serial()).append("orgId", c.orgId())
                .append("deviceId", c.deviceId()).append("notAfter", Documents.date(c.notAfter()))
                .append("revokedAt", null).append("reason", null))).then();
    }

    Mono<CertificateRecord> certificate(String orgId, String serial) {
        return Mono.from(certificates.find(and(eq("orgId", orgId), eq("_id", serial))).first())
                .map(PkiRepository::toRecord);
    }

    Mono<Boolean> anyCertificate(String orgId) {
        return Mono.from(certificates.find(eq("orgId", orgId)).limit(1).first()).hasElement();
    }

    /** Sets the revocation once; revoking again keeps the first time and reason. */
    Mono<Void> revoke(String orgId, String serial, int reason, Instant at) {
        return Mono.from(certificates.updateOne(and(eq("orgId", orgId), eq("_id", serial), eq("revokedAt", null)),
                Updates.combine(Updates.set("revokedAt", Documents.date(at)), Updates.set("reason", reason)))).then();
    }

    Flux<CertificateRecord> revoked(String orgId) {
        return Flux.from(certificates.find(and(eq("orgId", orgId), ne("revokedAt", null))))
                .map(PkiRepository::toRecord);
    }

    private static Document toDocument(StoredCa ca, Instant at) {
        return new Document("_id", ca.orgId()).append("orgId", ca.orgId()).append("chainPem", ca.chainPem())
                .append("encryptedKeyPem", ca.encryptedKeyPem()).append("imported", ca.imported())
                .append("createdAt", Documents.date(at)).append("crlNumber", 0L);
    }

    private static StoredCa toCa(Document d) {
        return new StoredCa(d.getString("_id"), d.getString("chainPem"), d.getString("encryptedKeyPem"),
                d.getBoolean("imported", false));
    }

    private static CertificateRecord toRecord(Document d) {
        Number reason = d.get("reason", Number.class);
        return new CertificateRecord(d.getString("_id"), d.getString("orgId"), d.getString("deviceId"),
                Documents.instant(d.getDate("notAfter")), Documents.instant(d.getDate("revokedAt")),
                reason == null ? 0 : reason.intValue());
    }
}
