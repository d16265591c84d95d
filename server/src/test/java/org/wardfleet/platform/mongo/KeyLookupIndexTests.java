package org.wardfleet.platform.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;

import de.bwaldvogel.mongo.MongoServer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tenant-scoped lookups ({@code _id} plus {@code orgId} and other conditions) answered from the unique index must
 * still honour every condition: another organisation's document is never returned, updated or counted, {@code $in}
 * lookups find exactly the listed keys, and unique keys other than {@code _id} (e-mail) work the same way.
 */
class KeyLookupIndexTests {

    @Test
    void keyLookupsStillApplyTheWholeQuery() {
        MongoServer server = new MongoServer(new KeyLookupIndex.Memory());
        var address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            MongoCollection<Document> users = client.getDatabase("t").getCollection("users");
            Mono.from(users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true))).block();
            Flux.from(users.insertMany(List.of(
                    new Document("_id", "u1").append("orgId", "A").append("email", "a@x").append("state", "SENT"),
                    new Document("_id", "u2").append("orgId", "B").append("email", "b@x").append("state", "SENT"),
                    new Document("_id", "u3").append("orgId", "A").append("email", "c@x").append("state", "READ"))))
                    .blockLast();

            assertThat(count(users, and(eq("_id", "u1"), eq("orgId", "A")))).isEqualTo(1);
            assertThat(count(users, and(eq("_id", "u2"), eq("orgId", "A")))).isZero(); // other organisation
            assertThat(count(users, and(eq("_id", "u1"), eq("orgId", "A"), eq("state", "READ")))).isZero();
            assertThat(Flux.from(users.find(and(in("_id", List.of("u1", "u2", "u3", "nobody")), eq("orgId", "A"))))
                    .map(d -> d.getString("_id")).collectList().block()).containsExactlyInAnyOrder("u1", "u3");
            assertThat(count(users, and(eq("email", "b@x"), eq("orgId", "A")))).isZero();
            assertThat(count(users, and(eq("email", "b@x"), eq("orgId", "B")))).isEqualTo(1);

            // conditional updates: only the matching document, only when the condition holds
            assertThat(Mono.from(users.updateOne(and(eq("_id", "u2"), eq("orgId", "A")), Updates.set("state", "X")))
                    .block().getModifiedCount()).isZero();
            assertThat(Mono.from(users.updateOne(and(eq("_id", "u1"), eq("orgId", "A"), eq("state", "SENT")),
                    Updates.set("state", "DELIVERED"))).block().getModifiedCount()).isEqualTo(1);
            assertThat(Mono.from(users.updateOne(and(eq("_id", "u1"), eq("orgId", "A"), eq("state", "SENT")),
                    Updates.set("state", "DELIVERED"))).block().getModifiedCount()).isZero();
            // the unique index still refuses duplicates
            assertThat(Mono.from(users.insertOne(new Document("_id", "u1").append("orgId", "C")))
                    .onErrorResume(Documents::isDuplicateKey, e -> Mono.empty()).blockOptional()).isEmpty();
            assertThat(count(users, eq("orgId", "C"))).isZero();
        } finally {
            server.shutdownNow();
        }
    }

    /**
     * Long {@code $in} lists of strings are matched by hashing (a 10,000-id read walked the list per document): the
     * answers must be exactly the server's — other conditions still apply, a field holding an array matches by its
     * elements, a number never equals a string, and an update by such a list touches exactly the listed documents.
     */
    @Test
    void longInListsMatchExactlyAsTheServerWould() {
        MongoServer server = new MongoServer(new KeyLookupIndex.Memory());
        var address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            MongoCollection<Document> docs = client.getDatabase("t").getCollection("docs");
            List<Document> all = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                all.add(new Document("_id", "d" + i).append("orgId", i % 2 == 0 ? "A" : "B").append("tag", "t" + i));
            }
            all.add(new Document("_id", "arr").append("orgId", "A").append("tag", List.of("x", "t5")));
            all.add(new Document("_id", "num").append("orgId", "A").append("tag", 7));
            Flux.from(docs.insertMany(all)).blockLast();
            List<String> wanted = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                wanted.add("d" + i);
            }
            wanted.add("nobody");
            assertThat(ids(docs, and(in("_id", wanted), eq("orgId", "A")))).hasSize(20)
                    .allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0 && Integer.parseInt(id.substring(1)) < 40);
            assertThat(ids(docs, in("_id", wanted))).hasSize(40);
            List<String> tags = new java.util.ArrayList<>(List.of("t5", "7"));
            for (int i = 50; i < 70; i++) {
                tags.add("t" + i);
            }
            // the array holding "t5" matches by its element; the number 7 does not equal the string "7"
            assertThat(ids(docs, and(eq("orgId", "A"), in("tag", tags))))
                    .containsExactlyInAnyOrder("arr", "d50", "d52", "d54", "d56", "d58");
            assertThat(ids(docs, in("tag", tags))).contains("d5", "arr", "d51").doesNotContain("num").hasSize(12);
            assertThat(Mono.from(docs.updateMany(and(in("_id", wanted), eq("orgId", "B")), Updates.set("seen", true)))
                    .block().getModifiedCount()).isEqualTo(20);
            assertThat(count(docs, eq("seen", true))).isEqualTo(20);
        } finally {
            server.shutdownNow();
        }
    }

    private static List<String> ids(MongoCollection<Document> collection, org.bson.conversions.Bson filter) {
        return Flux.from(collection.find(filter)).map(d -> d.getString("_id")).collectList().block();
    }

    /**
     * The driver renders {@code and(eq(_id), eq(orgId))} as {@code {$and: [...]}}: such lookups, updates and {@code $in}
     * reads must come from the index (at 10,000 devices each whole-collection read made a broadcast quadratic), while
     * a query on an unindexed field still reads the collection (which shows the count is real).
     */
    @Test
    void tenantScopedLookupsDoNotReadTheWholeCollection() {
        KeyLookupIndex.Memory backend = new KeyLookupIndex.Memory();
        MongoServer server = new MongoServer(backend);
        var address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            MongoCollection<Document> devices = client.getDatabase("t").getCollection("devices");
            Mono.from(devices.createIndex(Indexes.ascending("serial"), new IndexOptions().unique(true))).block();
            List<Document> many = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                many.add(new Document("_id", "d" + i).append("orgId", i % 2 == 0 ? "A" : "B").append("serial", "s" + i)
                        .append("state", "ACTIVE"));
            }
            Flux.from(devices.insertMany(many)).blockLast();
            long before = backend.fullScans();

            assertThat(Flux.from(devices.find(and(eq("orgId", "A"), eq("_id", "d2")))).collectList().block())
                    .hasSize(1);
            assertThat(Flux.from(devices.find(and(eq("orgId", "A"), eq("_id", "d3")))).collectList().block())
                    .isEmpty(); // organisation B's device
            assertThat(Flux.from(devices.find(and(eq("orgId", "B"), and(eq("state", "ACTIVE"),
                    in("_id", List.of("d1", "d2", "d3")))))).map(d -> d.getString("_id")).collectList().block())
                    .containsExactlyInAnyOrder("d1", "d3");
            assertThat(Flux.from(devices.find(and(eq("serial", "s4"), eq("orgId", "A")))).collectList().block())
                    .hasSize(1);
            assertThat(Mono.from(devices.updateOne(and(eq("_id", "d4"), eq("orgId", "A"), eq("state", "ACTIVE")),
                    Updates.set("state", "LOST"))).block().getModifiedCount()).isEqualTo(1);
            assertThat(backend.fullScans()).isEqualTo(before);

            assertThat(Flux.from(devices.find(eq("state", "LOST"))).collectList().block()).hasSize(1);
            assertThat(backend.fullScans()).isEqualTo(before + 1);
            // a regular expression inside $in is not an exact lookup: it still finds what it matches
            assertThat(Flux.from(devices.find(and(eq("orgId", "A"), in("_id", java.util.regex.Pattern.compile(
                    "^d1[02]$"))))).map(d -> d.getString("_id")).collectList().block())
                    .containsExactlyInAnyOrder("d10", "d12");
        } finally {
            server.shutdownNow();
        }
    }

    private static long count(MongoCollection<Document> c, org.bson.conversions.Bson filter) {
        return Mono.from(c.countDocuments(filter)).block();
    }
}
