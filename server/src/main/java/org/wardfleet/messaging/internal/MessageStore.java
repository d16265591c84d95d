package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Conversations, messages (recipients embedded, keyed by user id; answers are group-committed updates; DELIVERED
 * receipts, the ones that come by the thousand when a broadcast lands, are documents of their own in
 * {@code message_receipts}), and each device's inbox ({@code message_deliveries}, ordered by a per-organisation
 * sequence that is the device's cursor).
 */
@Component
class MessageStore implements IndexedCollection {

    private final MongoCollection<Document> conversations;
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> deliveries;
    private final MongoCollection<Document> inboxes;
    private final MongoCollection<Document> sequences;
    private final MongoCollection<Document> groups;
    private final MongoCollection<Document> receipts;

    MessageStore(MongoDatabase db) {
        this.conversations = db.getCollection("conversations");
        this.messages = db.getCollection("messages");
        this.deliveries = db.getCollection("message_deliveries");
        this.inboxes = db.getCollection("message_inboxes");
        this.sequences = db.getCollection("message_sequences");
        // named groups kept their first name, "roles", in storage and at the API
        this.groups = db.getCollection("messaging_roles");
        this.receipts = db.getCollection("message_receipts");
    }

    @Override
    public Publisher<?> createIndexes() {
        return Flux.concat(messages.createIndex(Indexes.ascending("orgId", "senderId", "idempotencyKey"),
                        new IndexOptions().unique(true)),
                deliveries.createIndex(Indexes.ascending("deviceId", "seq"), new IndexOptions().unique(true)),
                // the pager fallback's sweep of recent pages (MongoDB; the embedded server scans)
                messages.createIndex(Indexes.ascending("requiresAck", "sentAt")),
                groups.createIndex(Indexes.ascending("orgId", "name"), new IndexOptions().unique(true)),
                // a person's conversation list (MongoDB; the embedded server scans)
                conversations.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId", "participants"),
                        Indexes.descending("createdAt"))));
    }

    record Conversation(String id, String orgId, List<String> participants, String createdBy, Instant createdAt) {
    }

    /** One person a message is addressed to, with their receipt. */
    record Addressee(String userId, ReceiptState state, Instant at, String reason, int eligibleDevices,
            String choice) {

        Addressee(String userId, ReceiptState state, Instant at, String reason, int eligibleDevices) {
            this(userId, state, at, reason, eligibleDevices, null);
        }
    }

    record Message(String id, String orgId, String conversationId, String senderId, String idempotencyKey,
            String body, Priority priority, boolean requiresAck, String patientRef, String replyTo, Instant sentAt,
            Instant recalledAt, Instant bodyDeletedAt, Map<String, Addressee> recipients, boolean drill,
            List<String> choices) {

        Message(String id, String orgId, String conversationId, String senderId, String idempotencyKey, String body,
                Priority priority, boolean requiresAck, String patientRef, String replyTo, Instant sentAt,
                Instant recalledAt, Instant bodyDeletedAt, Map<String, Addressee> recipients) {
            this(id, orgId, conversationId, senderId, idempotencyKey, body, priority, requiresAck, patientRef, replyTo,
                    sentAt, recalledAt, bodyDeletedAt, recipients, false, List.of());
        }
    }

    record Delivery(String messageId, String deviceId, String userId, long seq) {
    }

    /** A named list of people ({@code role:<name>} in a conversation, a {@code groupId} in an escalation step). */
    record NamedGroup(String id, String orgId, String name, List<String> members) {
    }

    /** Defining a group again replaces its members (the name is the key). */
    Mono<NamedGroup> saveGroup(NamedGroup group) {
        return Mono.from(groups.findOneAndUpdate(and(eq("orgId", group.orgId()), eq("name", group.name())),
                        Updates.combine(Updates.setOnInsert("_id", group.id()),
                                Updates.set("members", group.members())),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .map(MessageStore::toGroup);
    }

    Mono<NamedGroup> group(String orgId, String name) {
        return Mono.from(groups.find(and(eq("orgId", orgId), eq("name", name))).first()).map(MessageStore::toGroup);
    }

    Flux<NamedGroup> groups(String orgId) {
        return Flux.from(groups.find(eq("orgId", orgId)).sort(Sorts.ascending("name"))).map(MessageStore::toGroup);
    }

    private static NamedGroup toGroup(Document d) {
        return new NamedGroup(d.getString("_id"), d.getString("orgId"), d.getString("name"),
                d.getList("members", String.class));
    }

    Mono<Conversation> insert(Conversation c) {
        return Mono.from(conversations.insertOne(new Document("_id", c.id()).append("orgId", c.orgId())
                .append("participants", c.participants()).append("createdBy", c.createdBy())
                .append("createdAt", Documents.date(c.createdAt())))).thenReturn(c);
    }

    Mono<Conversation> conversation(String orgId, String id) {
        return Mono.from(conversations.find(and(eq("_id", id), eq("orgId", orgId))).first())
                .map(MessageStore::toConversation);
    }

    /**
     * The conversations {@code userId} takes part in, newest first (ties by id). The embedded server reads the
     * organisation's conversations for it (no secondary indexes); MongoDB uses the multikey
     * {@code orgId, participants, createdAt} index.
     */
    Flux<Conversation> conversationsOf(String orgId, String userId, int skip, int limit) {
        return Flux.from(conversations.find(and(eq("orgId", orgId), eq("participants", userId)))
                        .sort(Sorts.descending("createdAt", "_id")).skip(skip).limit(limit))
                .map(MessageStore::toConversation);
    }

    Mono<Long> countConversationsOf(String orgId, String userId) {
        return Mono.from(conversations.countDocuments(and(eq("orgId", orgId), eq("participants", userId))));
    }

    private static Conversation toConversation(Document d) {
        return new Conversation(d.getString("_id"), d.getString("orgId"), d.getList("participants", String.class),
                d.getString("createdBy"), Documents.instant(d.getDate("createdAt")));
    }

    /** Inserts the message; an existing one with the same idempotency key comes back instead (a retried send). */
    Mono<Message> insertOnce(Message m) {
        return insertOnce(m, null);
    }

    /**
     * As {@link #insertOnce(Message)}, marked as being fanned out until {@code fanOutUntil} (the sender's lease): the
     * mark stays until {@link #fannedOut} clears it, so a message whose sender stopped half-way can be told apart and
     * finished ({@link #claimFanOut}).
     */
    Mono<Message> insertOnce(Message m, Instant fanOutUntil) {
        Document recipients = new Document();
        m.recipients().forEach((userId, r) -> recipients.append(userId, new Document("state", r.state().name())
                .append("at", Documents.date(r.at())).append("eligibleDevices", r.eligibleDevices())));
        Document doc = new Document("_id", m.id()).append("orgId", m.orgId()).append("conversationId",
                        m.conversationId()).append("senderId", m.senderId()).append("idempotencyKey", m.idempotencyKey())
                .append("body", m.body()).append("priority", m.priority() == null ? null : m.priority().name())
                .append("requiresAck", m.requiresAck())
                .append("patientRef", m.patientRef()).append("replyTo", m.replyTo())
                .append("sentAt", Documents.date(m.sentAt())).append("recipients", recipients)
                .append("drill", m.drill()).append("choices", m.choices());
        if (fanOutUntil != null) {
            doc.append("fanOutUntil", Documents.date(fanOutUntil));
        }
        return Mono.from(messages.insertOne(doc)).thenReturn(m)
                .onErrorResume(Documents::isDuplicateKey, retried -> messageByKey(m.orgId(), m.senderId(),
                        m.idempotencyKey()));
    }

    /** The message's fan-out is complete: its mark goes. */
    Mono<Void> fannedOut(String orgId, String messageId) {
        return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId)),
                Updates.unset("fanOutUntil"))).then();
    }

    /** Until when the message's sender holds its fan-out; empty when the fan-out is complete (or never marked). */
    Mono<Instant> fanOutUntil(String orgId, String messageId) {
        return Mono.from(messages.find(and(eq("_id", messageId), eq("orgId", orgId)))
                        .projection(com.mongodb.client.model.Projections.include("fanOutUntil")).first())
                .mapNotNull(d -> Documents.instant(d.getDate("fanOutUntil")));
    }

    /** Takes over an unfinished fan-out whose lease has run out; false when it is done or someone holds it. */
    Mono<Boolean> claimFanOut(String orgId, String messageId, Instant now, Instant until) {
        return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId),
                        com.mongodb.client.model.Filters.lte("fanOutUntil", Documents.date(now))),
                        Updates.set("fanOutUntil", Documents.date(until))))
                .map(r -> r.getModifiedCount() == 1);
    }

    Mono<Message> messageByKey(String orgId, String senderId, String idempotencyKey) {
        return withReceipts(Mono.from(messages.find(and(eq("orgId", orgId), eq("senderId", senderId),
                eq("idempotencyKey", idempotencyKey))).first()).map(MessageStore::toMessage));
    }

    /**
     * Escalation adds recipients to a page; existing entries are not touched. Increments the receipt version
     * {@code rv} like every write of recipients, so a {@link #fold} that read the map before does not write it back
     * without them.
     */
    Mono<Void> addRecipients(String orgId, String messageId, List<Addressee> added) {
        if (added.isEmpty()) {
            return Mono.empty();
        }
        List<org.bson.conversions.Bson> sets = new ArrayList<>();
        for (Addressee r : added) {
            sets.add(Updates.set("recipients." + r.userId(), new Document("state", r.state().name())
                    .append("at", Documents.date(r.at())).append("eligibleDevices", r.eligibleDevices())));
        }
        sets.add(Updates.inc("rv", 1));
        return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId)), Updates.combine(sets)))
                .then();
    }

    /** Acknowledgement-requiring messages sent after {@code after} and not recalled (all organisations). */
    Flux<Message> openPages(Instant after) {
        return withReceipts(Flux.from(messages.find(and(gt("sentAt", Documents.date(after)), eq("requiresAck", true),
                eq("recalledAt", null)))).map(MessageStore::toMessage));
    }

    /** A message without its recipients (a broadcast's map is 10,000 entries): what a device fetch packages. */
    /**
     * Every field {@link #toMessage} reads except {@code recipients}. An inclusion, not {@code exclude("recipients")}:
     * the embedded server answers an exclusion by deep-copying the whole document first, and a broadcast's document
     * holds 10,000 recipients — once per device fetch, that made a broadcast quadratic.
     */
    private static final org.bson.conversions.Bson CONTENT = com.mongodb.client.model.Projections.include("orgId",
            "conversationId", "senderId", "idempotencyKey", "body", "priority", "requiresAck", "patientRef", "replyTo",
            "sentAt", "recalledAt", "bodyDeletedAt", "drill", "choices");

    /** A message without its recipients (what a device fetch packages). */
    Mono<Message> content(String orgId, String id) {
        return Mono.from(messages.find(and(eq("_id", id), eq("orgId", orgId))).projection(CONTENT).first())
                .map(MessageStore::toMessage);
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
    Mono<java.util.Set<String>> deliveredMany(String orgId, String messageId, java.util.Map<String, Instant> users) {
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
                            docs.add(new Document("_id", receiptId(messageId, userId)).append("orgId", orgId)
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
    Mono<List<String>> fold(String orgId, String messageId) {
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
                                sent.add(receiptId(messageId, userId));
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
    Mono<Long> forgetReceipts(String orgId, List<String> ids) {
        return ids.isEmpty() ? Mono.just(0L) : Mono.from(receipts.deleteMany(and(eq("orgId", orgId), in("_id", ids))))
                .map(com.mongodb.client.result.DeleteResult::getDeletedCount);
    }

    /** The message changed between the fold's read and its write. */
    static final class Stale extends RuntimeException {
        Stale() {
            super("stale receipt version", null, false, false);
        }
    }

    private static String receiptId(String messageId, String userId) {
        return messageId + ":" + userId;
    }

    /**
     * The messages with their DELIVERED receipts applied: a recipient still SENT in the message document who has a
     * receipt document is DELIVERED (at the receipt's time). One read for all of them, by key.
     */
    private Flux<Message> withReceipts(Flux<Message> found) {
        return found.collectList().flatMapMany(list -> {
            List<String> ids = new ArrayList<>();
            java.util.Set<String> orgs = new java.util.HashSet<>();
            for (Message m : list) {
                m.recipients().values().stream().filter(r -> r.state().canMoveTo(ReceiptState.DELIVERED))
                        .forEach(r -> ids.add(receiptId(m.id(), r.userId())));
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

    private Mono<Message> withReceipts(Mono<Message> found) {
        return withReceipts(found.flux()).next();
    }

    private static Message applied(Message m, Map<String, Instant> delivered) {
        Map<String, Addressee> recipients = new LinkedHashMap<>(m.recipients());
        recipients.replaceAll((userId, r) -> {
            Instant at = r.state().canMoveTo(ReceiptState.DELIVERED) ? delivered.get(receiptId(m.id(), userId)) : null;
            // a receipt written as the message was being recalled does not count
            boolean counts = at != null && (m.recalledAt() == null || !at.isAfter(m.recalledAt()));
            return !counts ? r : new Addressee(userId, ReceiptState.DELIVERED, at, r.reason(), r.eligibleDevices(),
                    r.choice());
        });
        return new Message(m.id(), m.orgId(), m.conversationId(), m.senderId(), m.idempotencyKey(), m.body(),
                m.priority(), m.requiresAck(), m.patientRef(), m.replyTo(), m.sentAt(), m.recalledAt(),
                m.bodyDeletedAt(), recipients, m.drill(), m.choices());
    }

    Mono<Message> message(String orgId, String id) {
        return withReceipts(Mono.from(messages.find(and(eq("_id", id), eq("orgId", orgId))).first())
                .map(MessageStore::toMessage));
    }

    Flux<Message> messages(String orgId, List<String> ids) {
        return withReceipts(Flux.from(messages.find(and(eq("orgId", orgId), in("_id", ids))))
                .map(MessageStore::toMessage));
    }

    /**
     * What a person's inbox needs of the messages in these conversations: no body, and of the receipts only their own
     * ({@code recipients.<userId>}), so a broadcast's 10,000 entries are not read for it.
     */
    Flux<Message> headers(String orgId, java.util.Collection<String> conversationIds, String userId) {
        if (conversationIds.isEmpty()) {
            return Flux.empty();
        }
        return Flux.from(messages.find(and(eq("orgId", orgId), in("conversationId", List.copyOf(conversationIds))))
                        .projection(com.mongodb.client.model.Projections.include("orgId", "conversationId", "senderId",
                                "priority", "requiresAck", "sentAt", "recalledAt", "drill", "choices",
                                "recipients." + userId)))
                .map(MessageStore::toMessage);
    }

    /** The newest {@code limit} messages of a conversation, newest first, with their receipts. */
    Flux<Message> messagesOf(String orgId, String conversationId, int limit) {
        return withReceipts(Flux.from(messages.find(and(eq("orgId", orgId), eq("conversationId", conversationId)))
                .sort(Sorts.descending("sentAt", "_id")).limit(limit)).map(MessageStore::toMessage));
    }

    /** One recipient moving forward to {@code state} (an answer: READ, ACKNOWLEDGED with a choice, DECLINED...). */
    record Move(String userId, ReceiptState state, String reason, String choice, Instant at) {
    }

    /** The message as written, and for each move (in order) whether it happened. */
    record Moved(Message message, List<Boolean> moved) {
    }

    /**
     * Moves recipients of one message forward in one update (answers group-committed: a roll-call's thousands of
     * ACKNOWLEDGED-with-a-choice arrive together). Reads the recipients and the receipt version {@code rv}, applies the
     * moves in order — each only forward, from any earlier state, never from one answer (ACKNOWLEDGED, DECLINED) to
     * another, never on a recalled message — and writes them in one update guarded by {@code rv}, reading again if
     * anything else wrote the recipients in between. One update per batch instead of one per person: each update of a
     * 10,000-recipient document costs tens of milliseconds. Empty when there is no such message.
     */
    Mono<Moved> advanceMany(String orgId, String messageId, List<Move> moves) {
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
                                return Mono.just(new Moved(toMessage(d), moved));
                            }
                            List<org.bson.conversions.Bson> updates = new ArrayList<>();
                            sets.forEach((path, value) -> updates.add(Updates.set(path, value)));
                            updates.add(Updates.inc("rv", 1));
                            return Mono.from(messages.updateOne(and(eq("_id", messageId), eq("orgId", orgId),
                                            eq("rv", d.get("rv")), eq("recalledAt", null)), Updates.combine(updates)))
                                    .flatMap(u -> u.getModifiedCount() == 1 ? Mono.just(new Moved(toMessage(d), moved))
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

    /** Recall: only while no recipient has read it; the body is deleted at once. */
    Mono<Message> recall(String orgId, String messageId, String senderId, List<String> recipientIds, Instant at) {
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
                .map(MessageStore::toMessage).as(this::withReceipts);
    }

    /** Retention: bodies of messages sent before {@code before} are deleted (receipts and metadata stay). */
    Mono<Long> purgeBodies(Instant before, Instant now) {
        return Mono.from(messages.updateMany(and(lt("sentAt", Documents.date(before)), eq("bodyDeletedAt", null),
                        com.mongodb.client.model.Filters.exists("body")),
                Updates.combine(Updates.unset("body"), Updates.set("bodyDeletedAt", Documents.date(now)))))
                .map(r -> r.getModifiedCount());
    }

    /** Reserves {@code count} sequence numbers for an organisation; returns the first. */
    Mono<Long> reserve(String orgId, int count) {
        return Mono.from(sequences.findOneAndUpdate(eq("_id", orgId), Updates.inc("seq", (long) count),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .map(d -> ((Number) d.get("seq")).longValue() - count + 1);
    }

    Mono<Void> deliver(String orgId, List<Delivery> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        Mono<Void> history = Mono.from(deliveries.insertMany(batch.stream().map(d -> new Document("_id",
                        d.messageId() + ":" + d.deviceId()).append("orgId", orgId).append("messageId", d.messageId())
                .append("deviceId", d.deviceId()).append("userId", d.userId()).append("seq", d.seq())).toList(),
                new InsertManyOptions().ordered(false))).then()
                .onErrorResume(Documents::isDuplicateKey, already -> Mono.empty());
        // each device's pending entries, keyed by sequence, in one document per device: a fetch is a key lookup
        Mono<Void> pending = Mono.from(inboxes.bulkWrite(batch.stream().map(d -> new UpdateOneModel<Document>(
                eq("_id", d.deviceId()), Updates.combine(Updates.setOnInsert("orgId", orgId),
                        Updates.set("pending." + d.seq(), new Document("messageId", d.messageId())
                                .append("userId", d.userId()))), new UpdateOptions().upsert(true))).toList(),
                new BulkWriteOptions().ordered(false))).then();
        // the history first: a device's receipts are checked against it, so an inbox entry never exists without it
        return history.then(pending);
    }

    /**
     * The device's deliveries after its cursor, oldest first; entries at or before the cursor (the device has them)
     * are dropped from its inbox document on the way.
     */
    Flux<Delivery> inbox(String orgId, String deviceId, long after, int limit) {
        return Mono.from(inboxes.find(eq("_id", deviceId)).first()).map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMapMany(found -> found.isEmpty() ? legacyInbox(orgId, deviceId, after, limit) : Flux.just(
                        found.get()).filter(d -> orgId.equals(d.getString("orgId"))).flatMap(d -> {
                    Document pending = d.get("pending", Document.class);
                    List<Long> seen = new ArrayList<>();
                    java.util.TreeMap<Long, Document> ahead = new java.util.TreeMap<>();
                    if (pending != null) {
                        pending.forEach((seq, v) -> {
                            long n = Long.parseLong(seq);
                            if (n <= after) {
                                seen.add(n);
                            } else {
                                ahead.put(n, (Document) v);
                            }
                        });
                    }
                    Mono<Void> trim = seen.isEmpty() ? Mono.empty() : Mono.from(inboxes.updateOne(eq("_id", deviceId),
                            Updates.combine(seen.stream().map(n -> Updates.unset("pending." + n)).toList()))).then();
                    return trim.thenMany(Flux.fromIterable(ahead.entrySet()).take(limit)
                            .map(e -> new Delivery(e.getValue().getString("messageId"), deviceId,
                                    e.getValue().getString("userId"), e.getKey())));
                }));
    }

    /** Deliveries written before inbox documents existed (a scan in embedded mode; indexed in MongoDB). */
    private Flux<Delivery> legacyInbox(String orgId, String deviceId, long after, int limit) {
        return Flux.from(deliveries.find(and(eq("orgId", orgId), eq("deviceId", deviceId), gt("seq", after)))
                        .sort(Sorts.ascending("seq")).limit(limit))
                .map(d -> new Delivery(d.getString("messageId"), d.getString("deviceId"), d.getString("userId"),
                        ((Number) d.get("seq")).longValue()));
    }

    Mono<Boolean> delivered(String orgId, String messageId, String deviceId) {
        return Mono.from(deliveries.find(and(eq("_id", messageId + ":" + deviceId), eq("orgId", orgId))).first())
                .map(d -> true).defaultIfEmpty(false);
    }

    private static Message toMessage(Document d) {
        Map<String, Addressee> recipients = new LinkedHashMap<>();
        Document r = d.get("recipients", Document.class);
        if (r != null) {
            r.forEach((userId, value) -> {
                Document v = (Document) value;
                recipients.put(userId, new Addressee(userId, ReceiptState.stored(v.getString("state")),
                        Documents.instant(v.getDate("at")),
                        v.getString("reason"), v.getInteger("eligibleDevices", 0), v.getString("choice")));
            });
        }
        return new Message(d.getString("_id"), d.getString("orgId"), d.getString("conversationId"),
                d.getString("senderId"), d.getString("idempotencyKey"), d.getString("body"),
                Priority.stored(d.getString("priority")),
                Boolean.TRUE.equals(d.getBoolean("requiresAck")), d.getString("patientRef"), d.getString("replyTo"),
                Documents.instant(d.getDate("sentAt")), Documents.instant(d.getDate("recalledAt")),
                Documents.instant(d.getDate("bodyDeletedAt")), recipients, Boolean.TRUE.equals(d.getBoolean("drill")),
                d.getList("choices", String.class, List.of()));
    }
}
