package org.wardfleet.audit.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.audit.AuditSearch;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Entries live in {@code audit_entries} with {@code _id = orgId:seq} and a unique {@code (orgId, seq)} index: two
 * writers that claim the same sequence number cannot both succeed, so the chain never forks. {@code audit_heads}
 * holds each organisation's highest sequence number and hash written, moved forward after the entries: entries that
 * end before the head were lost after they were written, a gap verification reports, and a number is never handed
 * out twice.
 */
@Component
class AuditRepository implements IndexedCollection {

    private final MongoCollection<Document> entries;
    private final MongoCollection<Document> heads;

    AuditRepository(MongoDatabase db) {
        this.entries = db.getCollection("audit_entries");
        this.heads = db.getCollection("audit_heads");
    }

    @Override
    public Publisher<?> createIndexes() {
        return entries.createIndex(Indexes.ascending("orgId", "seq"), new IndexOptions().unique(true));
    }

    record Head(long seq, String hash) {
        static final Head EMPTY = new Head(0, AuditChain.GENESIS);
    }

    Mono<Head> head(String orgId) {
        return Mono.from(heads.find(eq("_id", orgId)).first())
                .map(d -> new Head(d.getLong("seq"), d.getString("hash")))
                .defaultIfEmpty(Head.EMPTY);
    }

    /**
     * Inserts consecutive entries in order, one round trip; fails with a duplicate-key error at the first sequence
     * number another writer already holds (the ones before it are in).
     */
    Mono<Void> insertAll(String orgId, List<AuditEntry> batch) {
        return Mono.from(entries.insertMany(batch.stream().map(e -> toDocument(orgId, e)).toList(),
                new com.mongodb.client.model.InsertManyOptions().ordered(true))).then();
    }


    /** Moves the head forward, never back (a slower writer's older head is ignored). */
    Mono<Void> advanceHead(String orgId, Head head) {
        Bson behind = and(eq("_id", orgId), lt("seq", head.seq()));
        Bson update = Updates.combine(Updates.set("seq", head.seq()), Updates.set("hash", head.hash()));
        return Mono.from(heads.updateOne(behind, update, new UpdateOptions().upsert(true)))
                .onErrorResume(Documents::isDuplicateKey, e -> Mono.empty())
                .then();
    }

    Mono<AuditEntry> entry(String orgId, long seq) {
        return Mono.from(entries.find(eq("_id", id(orgId, seq))).first()).map(AuditRepository::toEntry);
    }

    /**
     * The stored entry with the highest sequence number, when any is above {@code after}: only asked when an entry
     * sits above the head (one written by a version that inserted before moving the head), so the scan is rare.
     */
    Mono<AuditEntry> lastAbove(String orgId, long after) {
        return Mono.from(entries.find(and(eq("orgId", orgId), gt("seq", after))).sort(Sorts.descending("seq"))
                .first()).map(AuditRepository::toEntry);
    }

    /** The whole chain in order, streamed (verification reads every entry). */
    Flux<AuditEntry> chain(String orgId) {
        return Flux.from(entries.find(eq("orgId", orgId)).sort(Sorts.ascending("seq"))).map(AuditRepository::toEntry);
    }

    Flux<AuditEntry> page(String orgId, AuditSearch query) {
        return Flux.from(entries.find(filter(orgId, query)).sort(Sorts.descending("seq"))
                .skip(query.page() * query.size()).limit(query.size())).map(AuditRepository::toEntry);
    }

    Mono<Long> count(String orgId, AuditSearch query) {
        return Mono.from(entries.countDocuments(filter(orgId, query)));
    }

    private static Bson filter(String orgId, AuditSearch query) {
        List<Bson> parts = new ArrayList<>();
        parts.add(eq("orgId", orgId));
        if (query.actor() != null) {
            parts.add(eq("actorId", query.actor()));
        }
        if (query.action() != null) {
            parts.add(eq("action", query.action()));
        }
        if (query.target() != null) {
            parts.add(eq("target", query.target()));
        }
        if (query.from() != null) {
            parts.add(gte("at", Documents.date(query.from())));
        }
        if (query.to() != null) {
            parts.add(lte("at", Documents.date(query.to())));
        }
        return and(parts);
    }

    private static String id(String orgId, long seq) {
        return orgId + ":" + seq;
    }

    private static Document toDocument(String orgId, AuditEntry e) {
        return new Document("_id", id(orgId, e.seq()))
                .append("orgId", orgId)
                .append("seq", e.seq())
                .append("at", Documents.date(e.at()))
                .append("actorType", e.actorType())
                .append("actorId", e.actorId())
                .append("action", e.action())
                .append("target", e.target())
                .append("outcome", e.outcome())
                .append("details", new Document(new LinkedHashMap<>(e.details())))
                .append("requestId", e.requestId())
                .append("sourceAddress", e.sourceAddress())
                .append("prevHash", e.prevHash())
                .append("hash", e.hash());
    }

    private static AuditEntry toEntry(Document d) {
        Map<String, String> details = new LinkedHashMap<>();
        Document stored = d.get("details", Document.class);
        if (stored != null) {
            stored.forEach((k, v) -> details.put(k, String.valueOf(v)));
        }
        return new AuditEntry(d.getLong("seq"), Documents.instant(d.getDate("at")), d.getString("actorType"),
                d.getString("actorId"), d.getString("action"), d.getString("target"), d.getString("outcome"),
                details, d.getString("requestId"), d.getString("sourceAddress"), d.getString("prevHash"),
                d.getString("hash"));
    }
}
