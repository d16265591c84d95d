package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Component
class MongoConversationStore implements ConversationStore, IndexedCollection {

    private final MongoCollection<Document> conversations;

    MongoConversationStore(MongoDatabase db) {
        this.conversations = db.getCollection("conversations");
    }

    @Override
    public Publisher<?> createIndexes() {
        // a person's conversation list (MongoDB; the embedded server scans)
        return conversations.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId", "participants"),
                Indexes.descending("createdAt")));
    }

    @Override
    public Mono<Conversation> insert(Conversation c) {
        return Mono.from(conversations.insertOne(toDocument(c))).thenReturn(c);
    }

    @Override
    public Mono<Conversation> conversation(String orgId, String id) {
        return Mono.from(conversations.find(and(eq("_id", id), eq("orgId", orgId))).first())
                .map(MongoConversationStore::toConversation);
    }

    /**
     * The embedded server reads the organisation's conversations for it (no secondary indexes); MongoDB uses the
     * multikey {@code orgId, participants, createdAt} index.
     */
    @Override
    public Flux<Conversation> conversationsOf(String orgId, String userId, int skip, int limit) {
        return Flux.from(conversations.find(and(eq("orgId", orgId), eq("participants", userId)))
                        .sort(Sorts.descending("createdAt", "_id")).skip(skip).limit(limit))
                .map(MongoConversationStore::toConversation);
    }

    @Override
    public Mono<Long> countConversationsOf(String orgId, String userId) {
        return Mono.from(conversations.countDocuments(and(eq("orgId", orgId), eq("participants", userId))));
    }

    private static Document toDocument(Conversation c) {
        return new Document("_id", c.id()).append("orgId", c.orgId()).append("participants", c.participants())
                .append("createdBy", c.createdBy()).append("createdAt", Documents.date(c.createdAt()));
    }

    private static Conversation toConversation(Document d) {
        return new Conversation(d.getString("_id"), d.getString("orgId"), d.getList("participants", String.class),
                d.getString("createdBy"), Documents.instant(d.getDate("createdAt")));
    }
}
