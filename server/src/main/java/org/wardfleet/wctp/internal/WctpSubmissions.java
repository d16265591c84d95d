package org.wardfleet.wctp.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;

import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What WCTP senders are owed: {@code wctp_submissions} (one per accepted message, keyed by the page id, which is also
 * the tracking number) and {@code wctp_status} — an outbox of DELIVERED / READ notifications and MCR replies, one
 * document per page and kind (its id makes each one happen once, across instances), POSTed to the sender's registered
 * response URL with retries, and kept for {@code wctp-ClientQuery} polling.
 */
@Component
class WctpSubmissions implements org.wardfleet.platform.mongo.IndexedCollection {

    private final MongoCollection<Document> submissions;
    private final MongoCollection<Document> status;

    WctpSubmissions(MongoDatabase db) {
        this.submissions = db.getCollection("wctp_submissions");
        this.status = db.getCollection("wctp_status");
    }

    /** The notifier's sweeps and ClientQuery (MongoDB; the embedded server scans). */
    @Override
    public org.reactivestreams.Publisher<?> createIndexes() {
        return Flux.concat(submissions.createIndex(com.mongodb.client.model.Indexes.ascending("open", "createdAt")),
                submissions.createIndex(com.mongodb.client.model.Indexes.ascending("createdAt")),
                status.createIndex(com.mongodb.client.model.Indexes.ascending("state", "nextAt")),
                status.createIndex(com.mongodb.client.model.Indexes.ascending("pageId")),
                status.createIndex(com.mongodb.client.model.Indexes.ascending("at")));
    }

    /**
     * Retention: submissions accepted, and notifications recorded, before {@code before} are deleted (a sender polls
     * or is notified within hours, not weeks); returns how many documents went.
     */
    Mono<Long> purge(Instant before) {
        return Mono.from(submissions.deleteMany(com.mongodb.client.model.Filters.lt("createdAt",
                        Documents.date(before))))
                .zipWith(Mono.from(status.deleteMany(com.mongodb.client.model.Filters.lt("at",
                        Documents.date(before)))))
                .map(t -> t.getT1().getDeletedCount() + t.getT2().getDeletedCount());
    }

    /** An accepted WCTP message and what its sender asked to hear back. */
    record Submission(String pageId, String orgId, String senderId, String wctpMessageId, String recipientId,
            boolean notifyDelivered, boolean notifyRead, String responseUrl, List<String> choices,
            List<String> recorded, Instant createdAt) {

        /** The kinds owed to the sender, in order. */
        List<String> wanted() {
            List<String> kinds = new java.util.ArrayList<>();
            if (notifyDelivered) {
                kinds.add(ReceiptState.DELIVERED.name());
            }
            if (notifyRead) {
                kinds.add(ReceiptState.READ.name());
            }
            if (!choices.isEmpty()) {
                kinds.add("REPLY");
            }
            return kinds;
        }
    }

    /** One notification or reply for a sender: PENDING (to POST), SENT, FAILED (gave up) or POLL (no URL). */
    record Status(String id, String pageId, String orgId, String senderId, String kind, String answer, String url,
            String xml, String state, int attempts, Instant nextAt, Instant at) {
    }

    Mono<Void> insert(Submission s) {
        return Mono.from(submissions.insertOne(new Document("_id", s.pageId()).append("orgId", s.orgId())
                        .append("senderId", s.senderId()).append("wctpMessageId", s.wctpMessageId())
                        .append("recipientId", s.recipientId()).append("notifyDelivered", s.notifyDelivered())
                        .append("notifyRead", s.notifyRead()).append("responseUrl", s.responseUrl())
                        .append("choices", s.choices()).append("recorded", List.of()).append("open", true)
                        .append("createdAt", Documents.date(s.createdAt()))))
                .onErrorResume(Documents::isDuplicateKey, resubmitted -> Mono.empty())
                .then();
    }

    /** Submissions still owed something, accepted after {@code after}. */
    Flux<Submission> open(Instant after) {
        return Flux.from(submissions.find(and(eq("open", true), gt("createdAt", Documents.date(after)))))
                .map(WctpSubmissions::toSubmission);
    }

    Mono<Submission> find(String senderId, String pageId) {
        return Mono.from(submissions.find(and(eq("_id", pageId), eq("senderId", senderId))).first())
                .map(WctpSubmissions::toSubmission);
    }

    Mono<Void> close(String pageId) {
        return Mono.from(submissions.updateOne(eq("_id", pageId), Updates.set("open", false))).then();
    }

    /** Records a notification once; false when another instance (or an earlier pass) already did. */
    Mono<Boolean> record(Submission s, Status st) {
        return Mono.from(status.insertOne(new Document("_id", st.id()).append("pageId", st.pageId())
                        .append("orgId", st.orgId()).append("senderId", st.senderId()).append("kind", st.kind())
                        .append("answer", st.answer()).append("url", st.url()).append("xml", st.xml())
                        .append("state", st.state()).append("attempts", 0)
                        .append("nextAt", Documents.date(st.nextAt())).append("at", Documents.date(st.at()))))
                .thenReturn(true)
                .onErrorResume(Documents::isDuplicateKey, already -> Mono.just(false))
                .flatMap(fresh -> Mono.from(submissions.updateOne(eq("_id", s.pageId()),
                        Updates.addToSet("recorded", st.kind()))).thenReturn(fresh));
    }

    /** Notifications to POST now. */
    Flux<Status> due(Instant now, int limit) {
        return Flux.from(status.find(and(eq("state", "PENDING"), lte("nextAt", Documents.date(now))))
                .sort(Sorts.ascending("nextAt")).limit(limit)).map(WctpSubmissions::toStatus);
    }

    /** Moves a notification on: SENT, FAILED, or PENDING again at {@code nextAt}; only from the attempt it was. */
    Mono<Boolean> attempted(Status st, String state, Instant nextAt, String lastError) {
        return Mono.from(status.updateOne(and(eq("_id", st.id()), eq("attempts", st.attempts()),
                        eq("state", "PENDING")), Updates.combine(Updates.set("state", state),
                        Updates.set("attempts", st.attempts() + 1), Updates.set("nextAt", Documents.date(nextAt)),
                        Updates.set("lastError", lastError))))
                .map(r -> r.getModifiedCount() == 1);
    }

    /** Everything recorded for a page, oldest first (what {@code wctp-ClientQuery} returns). */
    Flux<Status> statuses(String pageId) {
        return Flux.from(status.find(eq("pageId", pageId)).sort(Sorts.ascending("at"))).map(WctpSubmissions::toStatus);
    }

    private static Submission toSubmission(Document d) {
        return new Submission(d.getString("_id"), d.getString("orgId"), d.getString("senderId"),
                d.getString("wctpMessageId"), d.getString("recipientId"), d.getBoolean("notifyDelivered", false),
                d.getBoolean("notifyRead", false), d.getString("responseUrl"),
                d.getList("choices", String.class, List.of()), d.getList("recorded", String.class, List.of()),
                Documents.instant(d.getDate("createdAt")));
    }

    private static Status toStatus(Document d) {
        return new Status(d.getString("_id"), d.getString("pageId"), d.getString("orgId"), d.getString("senderId"),
                d.getString("kind"), d.getString("answer"), d.getString("url"), d.getString("xml"),
                d.getString("state"), d.getInteger("attempts", 0), Documents.instant(d.getDate("nextAt")),
                Documents.instant(d.getDate("at")));
    }
}
