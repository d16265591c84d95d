package org.wardfleet.oncall.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code page_intents}: one document per page or broadcast being sent, written before anything else and deleted when
 * the last step is done, so the collection holds only unfinished ones and finding them is a scan of a handful. The id
 * is derived from organisation, sender and idempotency key — the message's own key — so a retried request finds the
 * same intent. An intent is leased: its creator holds it for the grace period, recovery claims it after that (one
 * instance at a time) and holds it while it works. No message text is kept here: an intent whose message was never
 * written is given up, not re-sent (its request was never answered, so its sender retries).
 */
@Component
class PageIntentStore {

    private final MongoCollection<Document> intents;

    PageIntentStore(MongoDatabase db) {
        this.intents = db.getCollection("page_intents");
    }

    enum Kind { PAGE, BROADCAST, DRILL }

    /**
     * What is needed to finish without the request: whose key the message is under, and for a page what its record
     * needs (the target, priority, escalation policy); for a broadcast only the kind.
     */
    record Intent(String id, Kind kind, String orgId, String senderId, String idempotencyKey, Recipient to,
            Priority priority, String policyId, Instant createdAt, int attempts) {

        static Intent of(Kind kind, String orgId, String senderId, String idempotencyKey, Recipient to,
                Priority priority, String policyId, Instant now) {
            return new Intent(id(orgId, senderId, idempotencyKey), kind, orgId, senderId, idempotencyKey, to,
                    priority, policyId, now, 0);
        }

        /** Fixed length whatever the key: the key is the client's and may hold any characters. */
        static String id(String orgId, String senderId, String idempotencyKey) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest((orgId + "\u0000" + senderId + "\u0000"
                        + idempotencyKey).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }
    }

    /** Records the intent, held by {@code owner} until {@code leaseUntil}; one already there (a retry) is kept. */
    Mono<Void> begin(Intent intent, String owner, Instant leaseUntil) {
        return Mono.from(intents.insertOne(new Document("_id", intent.id()).append("kind", intent.kind().name())
                        .append("orgId", intent.orgId()).append("senderId", intent.senderId())
                        .append("idempotencyKey", intent.idempotencyKey()).append("to", PageDocuments.target(intent.to()))
                        .append("priority", PageDocuments.word(intent.priority())).append("policyId", intent.policyId())
                        .append("createdAt", Documents.date(intent.createdAt())).append("attempts", 0)
                        .append("leaseOwner", owner).append("leaseUntil", Documents.date(leaseUntil))))
                .onErrorResume(Documents::isDuplicateKey, retried -> Mono.empty())
                .then();
    }

    /** Every step is done: the intent goes. */
    Mono<Void> done(String id) {
        return Mono.from(intents.deleteOne(eq("_id", id))).then();
    }

    /** Intents whose lease has run out (their sender stopped, or a recovery attempt did), oldest first. */
    Flux<Intent> due(Instant now, int limit) {
        return Flux.from(intents.find(lte("leaseUntil", Documents.date(now))).limit(limit))
                .map(PageIntentStore::toIntent);
    }

    /** Takes the intent for {@code owner} until {@code leaseUntil}, if nobody else holds it now. */
    Mono<Intent> claim(String id, String owner, Instant now, Instant leaseUntil) {
        return Mono.from(intents.findOneAndUpdate(and(eq("_id", id), lte("leaseUntil", Documents.date(now))),
                        Updates.combine(Updates.set("leaseOwner", owner),
                                Updates.set("leaseUntil", Documents.date(leaseUntil)), Updates.inc("attempts", 1)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(PageIntentStore::toIntent);
    }

    /** How many are unfinished: a health signal (a number that only grows means recovery is stuck). */
    Mono<Long> pending() {
        return Mono.from(intents.countDocuments());
    }

    private static Intent toIntent(Document d) {
        return new Intent(d.getString("_id"), Kind.valueOf(d.getString("kind")), d.getString("orgId"),
                d.getString("senderId"), d.getString("idempotencyKey"),
                PageDocuments.target(d.get("to", Document.class)), Priority.stored(d.getString("priority")), d.getString("policyId"), Documents.instant(d.getDate("createdAt")),
                d.getInteger("attempts", 0));
    }
}
