package org.wardfleet.oncall.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.web.PageRequest;

import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code broadcasts}: one small document per broadcast or drill (its message's id, who sent it to which audience, how
 * many people, when) — what the broadcast list reads, so that listing never reads a broadcast's message, whose
 * document holds every recipient (10,000 of them for a hospital-wide alert). Written once per broadcast, by its
 * sender or by the recovery of an interrupted one ({@link PageIntents}); a second write of the same one is a no-op.
 * Broadcasts sent before this collection existed are not listed (their roll-ups still answer).
 */
@Component
class BroadcastStore implements IndexedCollection {

    private final MongoCollection<Document> broadcasts;

    BroadcastStore(MongoDatabase db) {
        this.broadcasts = db.getCollection("broadcasts");
    }

    /** {@code audience}: type {@code all} (id null), {@code role} or {@code group}; null when not known. */
    record Broadcast(String id, String orgId, String senderId, Recipient audience, Priority priority,
            boolean drill, int recipients, List<String> choices, Instant sentAt) {
    }

    /** What a list may be narrowed to; null fields do not narrow. */
    record Filter(String senderId, Boolean drill, String priority) {
    }

    @Override
    public Publisher<?> createIndexes() {
        // the list's order (MongoDB; the embedded server scans this collection of small documents)
        return broadcasts.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId"),
                Indexes.descending("sentAt", "_id")));
    }

    Mono<Void> record(Broadcast b) {
        return Mono.from(broadcasts.insertOne(new Document("_id", b.id()).append("orgId", b.orgId())
                        .append("senderId", b.senderId()).append("audience", PageDocuments.target(b.audience()))
                        .append("priority", PageDocuments.word(b.priority()))
                        .append("drill", b.drill()).append("recipients", b.recipients()).append("choices", b.choices())
                        .append("sentAt", Documents.date(b.sentAt()))))
                .onErrorResume(Documents::isDuplicateKey, already -> Mono.empty())
                .then();
    }

    Mono<Broadcast> find(String orgId, String id) {
        return Mono.from(broadcasts.find(and(eq("_id", id), eq("orgId", orgId))).first())
                .map(BroadcastStore::toBroadcast);
    }

    /** Newest first, ties by id. */
    Flux<Broadcast> list(String orgId, Filter filter, PageRequest page) {
        return Flux.from(broadcasts.find(filter(orgId, filter)).sort(Sorts.descending("sentAt", "_id"))
                .skip(page.skip()).limit(page.size())).map(BroadcastStore::toBroadcast);
    }

    Mono<Long> count(String orgId, Filter filter) {
        return Mono.from(broadcasts.countDocuments(filter(orgId, filter)));
    }

    private static Bson filter(String orgId, Filter f) {
        List<Bson> all = new ArrayList<>(List.of(eq("orgId", orgId)));
        if (f.senderId() != null) {
            all.add(eq("senderId", f.senderId()));
        }
        if (f.drill() != null) {
            all.add(eq("drill", f.drill()));
        }
        if (f.priority() != null) {
            all.add(eq("priority", f.priority()));
        }
        return and(all);
    }

    private static Broadcast toBroadcast(Document d) {
        return new Broadcast(d.getString("_id"), d.getString("orgId"), d.getString("senderId"),
                PageDocuments.target(d.get("audience", Document.class)), Priority.stored(d.getString("priority")), d.getBoolean("drill", false), d.getInteger("recipients", 0),
                d.getList("choices", String.class, List.of()), Documents.instant(d.getDate("sentAt")));
    }
}
