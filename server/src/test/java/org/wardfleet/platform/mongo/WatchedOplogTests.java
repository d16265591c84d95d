package org.wardfleet.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The embedded server keeps in its oplog only the collections a change stream watches: a second instance watching
 * the signal collections still hears every insert made after it started watching (its own and this one's), while
 * the bulk writes of everything else (deliveries, receipts, audit entries) are not copied into an oplog that nothing
 * reads and nothing trims.
 */
class WatchedOplogTests {

    @Test
    void onlyWatchedCollectionsAreCopiedAndWatchersMissNothing() {
        MongoServer server = new MongoServer(new KeyLookupIndex.Memory());
        server.enableOplog();
        var address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            MongoDatabase db = client.getDatabase("t");
            MongoCollection<Document> signals = db.getCollection("signals");
            MongoCollection<Document> receipts = db.getCollection("receipts");
            MongoCollection<Document> oplog = client.getDatabase("local").getCollection("oplog.rs");
            Flux.from(receipts.insertMany(List.of(new Document("_id", "r1"), new Document("_id", "r2")))).blockLast();
            assertThat(Mono.from(oplog.countDocuments()).block()).isZero(); // nobody watches anything yet

            java.util.concurrent.BlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
            reactor.core.Disposable watching = Flux.from(signals.watch())
                    .subscribe(c -> heard.add(c.getFullDocument().getString("_id")));
            try {
                // the stream opens asynchronously: insert until it hears something, as a late watcher would
                String first = null;
                for (int i = 0; first == null && i < 100; i++) {
                    Mono.from(signals.insertOne(new Document("_id", "probe-" + i))).block();
                    first = heard.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                assertThat(first).startsWith("probe-");
                Mono.from(signals.insertOne(new Document("_id", "wake-1"))).block();
                Flux.from(receipts.insertMany(List.of(new Document("_id", "r3"), new Document("_id", "r4"))))
                        .blockLast();
                String next = heard.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                while (next != null && next.startsWith("probe-")) {
                    next = heard.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                assertThat(next).isEqualTo("wake-1"); // every insert after the stream opened is heard
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                watching.dispose();
            }
            assertThat(Mono.from(oplog.countDocuments(Filters.eq("ns", "t.receipts"))).block()).isZero();
            assertThat(Mono.from(oplog.countDocuments(Filters.eq("ns", "t.signals"))).block()).isPositive();
        } finally {
            server.shutdownNow();
        }
    }
}
