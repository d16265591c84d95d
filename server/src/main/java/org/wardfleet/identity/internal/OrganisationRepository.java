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

    /** True for exactly one caller across all instances sharing the database. */
    Mono<Boolean> claimBootstrap(Instant at) {
        return Mono.from(claims.insertOne(new Document("_id", "first-organisation").append("at", Documents.date(at))))
                .thenReturn(true)
                .onErrorResume(Documents::isDuplicateKey, e -> Mono.just(false));
    }
}
