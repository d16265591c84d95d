package org.wardfleet.messaging.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
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

@Component
class MongoGroupStore implements GroupStore, IndexedCollection {

    private final MongoCollection<Document> groups;

    MongoGroupStore(MongoDatabase db) {
        // named groups kept their first name, "roles", in storage (and at the API)
        this.groups = db.getCollection("messaging_roles");
    }

    @Override
    public Publisher<?> createIndexes() {
        return groups.createIndex(Indexes.ascending("orgId", "name"), new IndexOptions().unique(true));
    }

    @Override
    public Mono<NamedGroup> save(NamedGroup group) {
        return Mono.from(groups.findOneAndUpdate(and(eq("orgId", group.orgId()), eq("name", group.name())),
                        Updates.combine(Updates.setOnInsert("_id", group.id()),
                                Updates.set("members", group.members())),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .map(MongoGroupStore::toGroup);
    }

    @Override
    public Mono<NamedGroup> byName(String orgId, String name) {
        return Mono.from(groups.find(and(eq("orgId", orgId), eq("name", name))).first()).map(MongoGroupStore::toGroup);
    }

    @Override
    public Flux<NamedGroup> all(String orgId) {
        return Flux.from(groups.find(eq("orgId", orgId)).sort(Sorts.ascending("name"))).map(MongoGroupStore::toGroup);
    }

    private static NamedGroup toGroup(Document d) {
        return new NamedGroup(d.getString("_id"), d.getString("orgId"), d.getString("name"),
                d.getList("members", String.class));
    }
}
