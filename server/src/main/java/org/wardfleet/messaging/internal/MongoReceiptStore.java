package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Receipts: DELIVERED ones as documents of their own ({@code message_receipts}, {@code _id = messageId:userId}) until
 * folded into their message, answers written into the message document ({@code messages}) in one update per pass.
 * Which move is allowed is {@link ReceiptState#canMoveTo}'s to say; this class only makes each write conditional on
 * what it read (the receipt version {@code rv}).
 */
@Component
class MongoReceiptStore implements ReceiptStore {

    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> receipts;

    MongoReceiptStore(MongoDatabase db) {
        this.messages = db.getCollection("messages");
        this.receipts = db.getCollection("message_receipts");
    }

    /**
     * Many recipients of one message reached DELIVERED (device fetches and pushed copies, group-committed): one
     * receipt document per recipient ({@code message_receipts}, {@code _id = messageId:userId}), written in one
     * unordered {@code insertMany}; a recipient who already has one is a duplicate key, not a move. The message
     * document is not rewritten: a broadcast's holds 10,000 recipients, and rewriting it per pass of receipts cost
     * seconds (the embedded server deep-copies, sizes and compares the whole document on every update; MongoDB
     * rewrites it whole). Readers see the receipts through {@link #withReceipts}; {@link #fold} later moves them into
     * the message document, and they are deleted a minute after that. Only users the message has as SENT get one
     * (the read projects just their states), so someone who already read it, or is not a recipient, never does.
     * Returns the users who moved (none once the message is recalled).
     */
    @Override
    public Mono<java.util.Set<String>> deliveredMany(String orgId, String messageId, java.util.Map<String, Instant> users) {
        // the users' states only (a projection of their paths, not the 10,000-entry map): only a recipient the
        // message still has as SENT can move, so a person who already read it is not "delivered" again
        List<String> paths = new ArrayList<>(users.size() + 1);
        paths.add("recalledAt");
        users.keySet().forEach(u -> paths.add("recipients." + u + ".state"));
        return Mono.from(messages.find(and(eq("_id", messageId), eq("orgId", orgId)))
                        .projection(com.mongodb.client.model.Projections.include(paths)).first())
                .filter(d -> d.get("recalledAt") == null)
                .flatMap(d -> {
                    Document recipients = d.get("recipients", Document.class);
                    List<String> ids = new ArrayList<>(users.size());
                    List<Document> docs = new ArrayList<>(users.size());
                    users.forEach((userId, at) -> {
                        Document r = recipients == null ? null : recipients.get(userId, Document.class);
                        if (r != null && ReceiptState.valueOf(r.getString("state")).canMoveTo(ReceiptState.DELIVERED)) {
                            ids.add(userId);
                            docs.add(new Document("_id", MessageDocuments.receiptId(messageId, userId)).append("orgId", orgId)
                                    .append("messageId", messageId).append("userId", userId)
                                    .append("state", ReceiptState.DELIVERED.name()).append("at", Documents.date(at)));
                        }
                    });
                    if (docs.isEmpty()) {
                        return Mono.just(java.util.Set.<String>of());
                    }
                    return Mono.from(receipts.insertMany(docs, new InsertManyOptions().ordered(false)))
                            .<java.util.Set<String>>map(r -> new java.util.LinkedHashSet<>(ids))
                            .onErrorResume(com.mongodb.MongoBulkWriteException.class, e -> {
                                java.util.Set<String> moved = new java.util.LinkedHashSet<>(ids);
                                for (com.mongodb.bulk.BulkWriteError error : e.getWriteErrors()) {
                                    if (error.getCategory() != com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                                        return Mono.error(e);
                                    }
                                    moved.remove(ids.get(error.getIndex()));
                                }
                                return Mono.just(moved);
                            });
                })
                .defaultIfEmpty(java.util.Set.of());
    }

    /**
     * Folds a message's DELIVERED receipts into its document (one update, after a burst of them), so later reads of a
     * large message — the roll-up, escalation, the pager fallback, for hours — need not look them up one by one
     * again. Guarded by the receipt version {@code rv}: a READ, an acknowledgement or an added recipient written in
     * between makes it stale, and it reads again (up to a few times; the receipts stay the truth either way).
     * Returns the folded receipts' ids: they can go once no reader can still be between reading the message as it
     * was and looking them up ({@link #forgetReceipts}); the message's own states then refuse a repeat.
     */
    @Override
    public Mono<List<String>> fold(String orgId, String messageId) {
        return Mono.defer(() -> Mono.from(messages.find(and(eq("_id", messageId), eq("orgId", orgId)))
                        .projection(com.mongodb.client.model.Projections.include("rv", "recipients", "recalledAt"))
                        .first())
                .flatMap(d -> {
                    Document recipients = d.get("recipients", Document.class);
                    List<String> sent = new ArrayList<>();
                    if (recipients != null) {
                        recipients.forEach((userId, r) -> {
                            if (r instanceof Document entry
                                    && ReceiptState.valueOf(entry.getString("state"))
                                            .canMoveTo(ReceiptState.DELIVERED)) {
                                sent.add(MessageDocuments.receiptId(messageId, userId));
                            }
                        });
                    }
                    if (sent.isEmpty()) {
                        return Mono.just(List.<String>of());
                    }
                    return Flux.from(receipts.find(and(eq("orgId", orgId), in("_id", sent)))
                                    .projection(com.mongodb.client.model.Projections.include("_id", "userId",
                                            "at"))
                                    .batchSize(10_000))
                            // a receipt written as the message was being recalled does not count
                            .filter(r -> d.getDate("recalledAt") == null
                                    || !r.getDate("at").after(d.getDate("recalledAt")))
                            .collectList()
                            .flatMap(found -> {
                                if (found.isEmpty()) {
                                    return Mono.just(List.<String>of());
                                }
                                List<org.bson.conversions.Bson> sets = new ArrayList<>();
                                for (Document r : found) {
                                    String field = "recipients." + r.getString("userId");
                                    sets.add(Updates.set(field + ".state", ReceiptState.DELIVERED.name()));
                                    sets.add(Updates.set(field + ".at", r.getDate("at")));
                                }
                                sets.add(Updates.inc("rv", 1));
                                return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId),
                                                eq("rv", d.get("rv"))), Updates.combine(sets)))
                                        .flatMap(u -> u.getModifiedCount() == 1
                                                ? Mono.just(found.stream().map(r -> r.getString("_id")).toList())
                                                : Mono.error(new Stale()));
                            });
                }))
                .retryWhen(reactor.util.retry.Retry.backoff(5, java.time.Duration.ofMillis(50))
                        .filter(Stale.class::isInstance))
                .defaultIfEmpty(List.of());
    }

    /** Deletes folded receipt documents (by id); returns how many. */
    @Override
    public Mono<Long> forgetReceipts(String orgId, List<String> ids) {
        return ids.isEmpty() ? Mono.just(0L) : Mono.from(receipts.deleteMany(and(eq("orgId", orgId), in("_id", ids))))
                .map(com.mongodb.client.result.DeleteResult::getDeletedCount);
    }

    /** The message changed between the fold's read and its write. */
    static final class Stale extends RuntimeException {
        Stale() {
            super("stale receipt version", null, false, false);
        }
    }

    /**
     * The messages with their DELIVERED receipts applied: a recipient still SENT in the message document who has a
     * receipt document is DELIVERED (at the receipt's time). One read for all of them, by key.
     */
    @Override
    public Flux<Message> withReceipts(Flux<Message> found) {
        return found.collectList().flatMapMany(list -> {
            List<String> ids = new ArrayList<>();
            java.util.Set<String> orgs = new java.util.HashSet<>();
            for (Message m : list) {
                m.recipients().values().stream().filter(r -> r.state().canMoveTo(ReceiptState.DELIVERED))
                        .forEach(r -> ids.add(MessageDocuments.receiptId(m.id(), r.userId())));
                orgs.add(m.orgId());
            }
            if (ids.isEmpty()) {
                return Flux.fromIterable(list);
            }
            return Flux.from(receipts.find(and(in("orgId", orgs), in("_id", ids)))
                            .projection(com.mongodb.client.model.Projections.include("at")).batchSize(10_000))
                    .collectMap(d -> d.getString("_id"), d -> Documents.instant(d.getDate("at")))
                    .flatMapIterable(delivered -> delivered.isEmpty() ? list
                            : list.stream().map(m -> applied(m, delivered)).toList());
        });
    }

    @Override
    public Mono<Message> withReceipts(Mono<Message> found) {
        return withReceipts(found.flux()).next();
    }

    private static Message applied(Message m, Map<String, Instant> delivered) {
        Map<String, Addressee> recipients = new LinkedHashMap<>(m.recipients());
        recipients.replaceAll((userId, r) -> {
            Instant at = r.state().canMoveTo(ReceiptState.DELIVERED)
                    ? delivered.get(MessageDocuments.receiptId(m.id(), userId)) : null;
            // a receipt written as the message was being recalled does not count
            boolean counts = at != null && (m.recalledAt() == null || !at.isAfter(m.recalledAt()));
            return counts ? r.delivered(at) : r;
        });
        return m.withRecipients(recipients);
    }

    /**
     * Moves recipients of one message forward in one update (answers group-committed: a roll-call's thousands of
     * ACKNOWLEDGED-with-a-choice arrive together). Reads the recipients and the receipt version {@code rv}, applies the
     * moves in order — each only forward, from any earlier state, never from one answer (ACKNOWLEDGED, DECLINED) to
     * another, never on a recalled message — and writes them in one update guarded by {@code rv}, reading again if
     * anything else wrote the recipients in between. One update per batch instead of one per person: each update of a
     * 10,000-recipient document costs tens of milliseconds. Empty when there is no such message.
     */
    @Override
    public Mono<Moved> advanceMany(String orgId, String messageId, List<Move> moves) {
        return Mono.defer(() -> Mono.from(messages.find(and(eq("_id", messageId), eq("orgId", orgId))).first())
                        .flatMap(d -> {
                            Document recipients = d.get("recipients", Document.class);
                            boolean open = d.get("recalledAt") == null && recipients != null;
                            List<Boolean> moved = new ArrayList<>(moves.size());
                            Map<String, Object> sets = new LinkedHashMap<>();
                            for (Move move : moves) {
                                Document r = open ? recipients.get(move.userId(), Document.class) : null;
                                boolean forward = r != null
                                        && ReceiptState.valueOf(r.getString("state")).canMoveTo(move.state());
                                moved.add(forward);
                                if (forward) {
                                    String field = "recipients." + move.userId();
                                    r.put("state", move.state().name());
                                    r.put("at", Documents.date(move.at()));
                                    r.put("reason", move.reason());
                                    r.put("choice", move.choice());
                                    sets.put(field + ".state", move.state().name());
                                    sets.put(field + ".at", Documents.date(move.at()));
                                    sets.put(field + ".reason", move.reason());
                                    sets.put(field + ".choice", move.choice());
                                }
                            }
                            if (sets.isEmpty()) {
                                return Mono.just(new Moved(MessageDocuments.toMessage(d), moved));
                            }
                            List<org.bson.conversions.Bson> updates = new ArrayList<>();
                            sets.forEach((path, value) -> updates.add(Updates.set(path, value)));
                            updates.add(Updates.inc("rv", 1));
                            return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId),
                                            eq("rv", d.get("rv")), eq("recalledAt", null)), Updates.combine(updates)))
                                    .flatMap(u -> u.getModifiedCount() == 1
                                            ? Mono.just(new Moved(MessageDocuments.toMessage(d), moved))
                                            : Mono.error(new Stale()));
                        }))
                // another pass, a fold or an added recipient landed in between: back off a little and read again
                .retryWhen(reactor.util.retry.Retry.backoff(20, java.time.Duration.ofMillis(2))
                        .maxBackoff(java.time.Duration.ofMillis(200)).filter(Stale.class::isInstance)
                        // still contended after 20 reads: a retryable 503 for these answers, nothing half-written
                        .onRetryExhaustedThrow((spec, signal) -> org.wardfleet.platform.web.ProblemType.UNAVAILABLE
                                .exception("The message is busy; send the answer again")))
                .flatMap(m -> withReceipts(Mono.just(m.message())).map(message -> new Moved(message, m.moved())));
    }
}
