package org.wardfleet.identity.internal;

import java.time.Instant;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/** Organisations (tenants), and the one-time claim that lets exactly one instance run the first-start bootstrap. */
@Component
class OrganisationRepository {

    private final MongoCollection<Document> organisations;
    private final MongoCollection<Document> claims;

    OrganisationRepository(MongoDatabase db) {
        this.organisations = db.getCollection("organisations");
        this.claims = db.getCollection("bootstrap_claims");
    }

    Mono<Void> insert(String id, String name, Instant at) {
        return Mono.from(organisations.insertOne(
                new Document("_id", id).append("orgId", id).append("name", name).append("createdAt",
                        Documents.date(at)))).then();
    }

    Mono<org.wardfleet.identity.Tenants.Organisation> first() {
        return Mono.from(organisations.find().sort(com.mongodb.client.model.Sorts.ascending("createdAt")).first())
                .map(d -> new org.wardfleet.identity.Tenants.Organisation(d.getString("_id"), d.getString("name")));
    }

    reactor.core.publisher.Flux<org.wardfleet.identity.Tenants.Organisation> all() {
        return reactor.core.publisher.Flux.from(organisations.find())
                .map(d -> new org.wardfleet.identity.Tenants.Organisation(d.getString("_id"), d.getString("name")));
    }

    Mono<org.wardfleet.identity.Tenants.Organisation> find(String orgId) {
        return Mono.from(organisations.find(com.mongodb.client.model.Filters.eq("_id", orgId)).first())
                .map(d -> new org.wardfleet.identity.Tenants.Organisation(d.getString("_id"), d.getString("name")));
    }

    /** True for exactly one caller across all instances sharing the database. */
    Mono<Boolean> claimBootstrap(Instant at) {
        return Mono.from(claims.insertOne(new Document("_id", "first-organisation").append("at", Documents.date(at))))
                .thenReturn(true)
                .onErrorResume(Documents::isDuplicateKey, e -> Mono.just(false));
    }
}
