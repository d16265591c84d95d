package org.wardfleet.platform.mongo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.OperationType;
import com.mongodb.reactivestreams.client.MongoCollection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Signal collections (stream wake-ups, user signals, security events): inserts every instance must hear about.
 * Against a real MongoDB they are change streams, so several instances coordinate. With the embedded server — one
 * process by construction — a local feed carries them: the embedded server's change streams scan its whole oplog on
 * every poll, which made a 10,000-device broadcast quadratic. A second instance pointed at an embedded server (a test
 * set-up) still hears this one's inserts through its own change stream.
 */
public final class InsertFeed {

    private final boolean local;
    private final Map<String, Sinks.Many<Document>> feeds = new ConcurrentHashMap<>();

    InsertFeed(boolean local) {
        this.local = local;
    }

    /** Inserts the documents; watchers of the collection hear them. */
    public Mono<Void> insert(MongoCollection<Document> collection, List<Document> documents) {
        if (documents.isEmpty()) {
            return Mono.empty();
        }
        Mono<Void> write = documents.size() == 1 ? Mono.from(collection.insertOne(documents.get(0))).then()
                : Mono.from(collection.insertMany(documents)).then();
        if (!local) {
            return write;
        }
        return write.doOnSuccess(done -> {
            Sinks.Many<Document> feed = feeds.get(collection.getNamespace().getFullName());
            if (feed != null) {
                documents.forEach(d -> feed.emitNext(d, (signal, result) -> result == Sinks.EmitResult.FAIL_NON_SERIALIZED));
            }
        });
    }

    /** Documents inserted into the collection from now on. */
    public Flux<Document> inserts(MongoCollection<Document> collection) {
        if (!local) {
            return Flux.from(collection.watch())
                    .filter(c -> c.getOperationType() == OperationType.INSERT && c.getFullDocument() != null)
                    .map(ChangeStreamDocument::getFullDocument);
        }
        return feeds.computeIfAbsent(collection.getNamespace().getFullName(),
                ns -> Sinks.many().multicast().directBestEffort()).asFlux();
    }
}
