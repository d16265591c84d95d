package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
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
 * {@code message_deliveries} (the history: one document per message and device), {@code message_inboxes} (each
 * device's pending entries in one document, keyed by sequence: a fetch is a key lookup) and {@code message_sequences}
 * (the per-organisation counter).
 */
@Component
class MongoInboxStore implements InboxStore, IndexedCollection {

    private final MongoCollection<Document> deliveries;
    private final MongoCollection<Document> inboxes;
    private final MongoCollection<Document> sequences;

    MongoInboxStore(MongoDatabase db) {
        this.deliveries = db.getCollection("message_deliveries");
        this.inboxes = db.getCollection("message_inboxes");
        this.sequences = db.getCollection("message_sequences");
    }

    @Override
    public Publisher<?> createIndexes() {
        return deliveries.createIndex(Indexes.ascending("deviceId", "seq"), new IndexOptions().unique(true));
    }

    /** Reserves {@code count} sequence numbers for an organisation; returns the first. */
    @Override
    public Mono<Long> reserve(String orgId, int count) {
        return Mono.from(sequences.findOneAndUpdate(eq("_id", orgId), Updates.inc("seq", (long) count),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .map(d -> ((Number) d.get("seq")).longValue() - count + 1);
    }

    @Override
    public Mono<Void> deliver(String orgId, List<Delivery> batch) {
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
    @Override
    public Flux<Delivery> inbox(String orgId, String deviceId, long after, int limit) {
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

    @Override
    public Mono<Boolean> delivered(String orgId, String messageId, String deviceId) {
        return Mono.from(deliveries.find(and(eq("_id", messageId + ":" + deviceId), eq("orgId", orgId))).first())
                .map(d -> true).defaultIfEmpty(false);
    }
}
