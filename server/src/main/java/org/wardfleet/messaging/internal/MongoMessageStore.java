package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Messages ({@code messages}: recipients embedded, keyed by user id), read with their DELIVERED receipts applied
 * ({@link ReceiptStore#withReceipts}). Mapping: {@link MessageDocuments}.
 */
@Component
class MongoMessageStore implements MessageStore, IndexedCollection {

    private final MongoCollection<Document> messages;
    private final ReceiptStore receipts;

    MongoMessageStore(MongoDatabase db, ReceiptStore receipts) {
        this.messages = db.getCollection("messages");
        this.receipts = receipts;
    }

    @Override
    public Publisher<?> createIndexes() {
        return Flux.concat(messages.createIndex(Indexes.ascending("orgId", "senderId", "idempotencyKey"),
                        new IndexOptions().unique(true)),
                // the pager fallback's sweep of recent pages (MongoDB; the embedded server scans)
                messages.createIndex(Indexes.ascending("requiresAck", "sentAt")));
    }

    /**
     * As {@link #insertOnce(Message)}, marked as being fanned out until {@code fanOutUntil} (the sender's lease): the
     * mark stays until {@link #fannedOut} clears it, so a message whose sender stopped half-way can be told apart and
     * finished ({@link #claimFanOut}).
     */
    @Override
    public Mono<Message> insertOnce(Message m, Instant fanOutUntil) {
        Document doc = MessageDocuments.toDocument(m);
        if (fanOutUntil != null) {
            doc.append("fanOutUntil", Documents.date(fanOutUntil));
        }
        return Mono.from(messages.insertOne(doc)).thenReturn(m)
                .onErrorResume(Documents::isDuplicateKey, retried -> messageByKey(m.orgId(), m.senderId(),
                        m.idempotencyKey()));
    }

    /** The message's fan-out is complete: its mark goes. */
    @Override
    public Mono<Void> fannedOut(String orgId, String messageId) {
        return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId)),
                Updates.unset("fanOutUntil"))).then();
    }

    /** Until when the message's sender holds its fan-out; empty when the fan-out is complete (or never marked). */
    @Override
    public Mono<Instant> fanOutUntil(String orgId, String messageId) {
        return Mono.from(messages.find(and(eq("_id", messageId), eq("orgId", orgId)))
                        .projection(com.mongodb.client.model.Projections.include("fanOutUntil")).first())
                .mapNotNull(d -> Documents.instant(d.getDate("fanOutUntil")));
    }

    /** Takes over an unfinished fan-out whose lease has run out; false when it is done or someone holds it. */
    @Override
    public Mono<Boolean> claimFanOut(String orgId, String messageId, Instant now, Instant until) {
        return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId),
                        com.mongodb.client.model.Filters.lte("fanOutUntil", Documents.date(now))),
                        Updates.set("fanOutUntil", Documents.date(until))))
                .map(r -> r.getModifiedCount() == 1);
    }

    /**
     * Every send asks this first. The filter names exactly the unique index's fields, each an equality (no
     * {@code $and}): the embedded server then answers from that index instead of scanning every message (it uses an
     * index only for a query of exactly its keys); MongoDB treats both forms alike (issue 24, page to one device).
     */
    @Override
    public Mono<Message> messageByKey(String orgId, String senderId, String idempotencyKey) {
        return receipts.withReceipts(Mono.from(messages.find(new Document("orgId", orgId).append("senderId", senderId)
                .append("idempotencyKey", idempotencyKey)).first()).map(MessageDocuments::toMessage));
    }

    /**
     * Escalation adds recipients to a page; existing entries are not touched. Increments the receipt version
     * {@code rv} like every write of recipients, so a {@link ReceiptStore#fold} that read the map before does not write it back
     * without them.
     */
    @Override
    public Mono<Void> addRecipients(String orgId, String messageId, List<Addressee> added) {
        if (added.isEmpty()) {
            return Mono.empty();
        }
        List<org.bson.conversions.Bson> sets = new ArrayList<>();
        for (Addressee r : added) {
            sets.add(Updates.set("recipients." + r.userId(), MessageDocuments.toDocument(r)));
        }
        sets.add(Updates.inc("rv", 1));
        return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId)), Updates.combine(sets)))
                .then();
    }

    /** Acknowledgement-requiring messages sent after {@code after} and not recalled (all organisations). */
    @Override
    public Flux<Message> openPages(Instant after) {
        return receipts.withReceipts(Flux.from(messages.find(and(gt("sentAt", Documents.date(after)), eq("requiresAck", true),
                eq("recalledAt", null)))).map(MessageDocuments::toMessage));
    }

    /** A message without its recipients (what a device fetch packages). */
    @Override
    public Mono<Message> content(String orgId, String id) {
        return Mono.from(messages.find(and(eq("_id", id), eq("orgId", orgId))).projection(MessageDocuments.CONTENT).first())
                .map(MessageDocuments::toMessage);
    }

    @Override
    public Mono<Message> message(String orgId, String id) {
        return receipts.withReceipts(Mono.from(messages.find(and(eq("_id", id), eq("orgId", orgId))).first())
                .map(MessageDocuments::toMessage));
    }

    @Override
    public Flux<Message> messages(String orgId, List<String> ids) {
        return receipts.withReceipts(Flux.from(messages.find(and(eq("orgId", orgId), in("_id", ids))))
                .map(MessageDocuments::toMessage));
    }

    /**
     * What a person's inbox needs of the messages in these conversations: no body, and of the receipts only their own
     * ({@code recipients.<userId>}), so a broadcast's 10,000 entries are not read for it.
     */
    @Override
    public Flux<Message> headers(String orgId, java.util.Collection<String> conversationIds, String userId) {
        if (conversationIds.isEmpty()) {
            return Flux.empty();
        }
        return Flux.from(messages.find(and(eq("orgId", orgId), in("conversationId", List.copyOf(conversationIds))))
                        .projection(com.mongodb.client.model.Projections.include("orgId", "conversationId", "senderId",
                                "priority", "requiresAck", "sentAt", "recalledAt", "drill", "choices",
                                "recipients." + userId)))
                .map(MessageDocuments::toMessage);
    }

    /** The newest {@code limit} messages of a conversation, newest first, with their receipts. */
    @Override
    public Flux<Message> messagesOf(String orgId, String conversationId, int limit) {
        return receipts.withReceipts(Flux.from(messages.find(and(eq("orgId", orgId), eq("conversationId", conversationId)))
                .sort(Sorts.descending("sentAt", "_id")).limit(limit)).map(MessageDocuments::toMessage));
    }

    /** Recall: only while no recipient has read it; the body is deleted at once. */
    @Override
    public Mono<Message> recall(String orgId, String messageId, String senderId, List<String> recipientIds, Instant at) {
        List<org.bson.conversions.Bson> unread = new ArrayList<>();
        unread.add(eq("_id", messageId));
        unread.add(eq("orgId", orgId));
        unread.add(eq("senderId", senderId));
        unread.add(eq("recalledAt", null));
        List<String> unreadStates = ReceiptState.before(ReceiptState.READ).stream().map(Enum::name).toList();
        recipientIds.forEach(u -> unread.add(in("recipients." + u + ".state", unreadStates)));
        return Mono.from(messages.findOneAndUpdate(and(unread), Updates.combine(
                        Updates.set("recalledAt", Documents.date(at)), Updates.unset("body")),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(MessageDocuments::toMessage).as(receipts::withReceipts);
    }

    /** Retention: bodies of messages sent before {@code before} are deleted (receipts and metadata stay). */
    @Override
    public Mono<Long> purgeBodies(Instant before, Instant now) {
        return Mono.from(messages.updateMany(and(lt("sentAt", Documents.date(before)), eq("bodyDeletedAt", null),
                        com.mongodb.client.model.Filters.exists("body")),
                Updates.combine(Updates.unset("body"), Updates.set("bodyDeletedAt", Documents.date(now)))))
                .map(r -> r.getModifiedCount());
    }
}
