package org.wardfleet.platform.mongo;

import static com.mongodb.client.model.Filters.lt;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.bson.Document;

import com.mongodb.reactivestreams.client.MongoCollection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One signal collection: documents every instance must hear about as they are inserted (a device stream's event, a
 * desktop session's "a message for you", a security event). Each instance watches the collection once and hands what
 * it hears to every local subscriber; against an external MongoDB the watch is a change stream that resumes from its
 * saved position ({@link ChangeStreamWatch}), with the embedded server — one process — the inserts themselves.
 * Signals are hints over durable state: a channel that lost its history runs the owner's {@code resync} instead.
 *
 * @param <T> what the owner sends; {@code write} makes each one document (with its {@code _id} and an {@code at}
 *        date when the channel is swept) and {@code read} turns a document back
 */
public final class SignalChannel<T> {

    private final MongoCollection<Document> collection;
    private final Function<T, Document> write;
    private final Function<Document, T> read;
    private final Duration keep;
    private final Clock clock;
    private final Mono<Void> resync;
    private final boolean local;
    private final Sinks.Many<Document> heard = Sinks.many().multicast().directBestEffort();

    SignalChannel(MongoCollection<Document> collection, Function<T, Document> write, Function<Document, T> read,
            Duration keep, Clock clock, Mono<Void> resync, boolean local) {
        this.local = local;
        this.collection = collection;
        this.write = write;
        this.read = read;
        this.keep = keep;
        this.clock = clock;
        this.resync = resync;
    }

    /** The collection's name: the channel's name in logs, metrics and saved positions. */
    public String name() {
        return collection.getNamespace().getCollectionName();
    }

    /** Inserts the signals (one round trip); every instance's subscribers hear them. */
    public Mono<Void> insert(List<T> signals) {
        if (signals.isEmpty()) {
            return Mono.empty();
        }
        List<Document> documents = signals.stream().map(write).toList();
        return (documents.size() == 1 ? Mono.from(collection.insertOne(documents.get(0))).then()
                : Mono.from(collection.insertMany(documents)).then())
                .doOnSuccess(done -> {
                    if (local) {
                        documents.forEach(this::heard);
                    }
                });
    }

    /** Signals inserted from now on, by any instance. */
    public Flux<T> watch() {
        return heard.asFlux().map(read);
    }

    /** Deletes signals older than the channel keeps them (none for a channel that is never swept). */
    public Mono<Long> sweep() {
        if (keep == null) {
            return Mono.just(0L);
        }
        return Mono.from(collection.deleteMany(lt("at", Documents.date(clock.instant().minus(keep)))))
                .map(r -> r.getDeletedCount());
    }

    MongoCollection<Document> collection() {
        return collection;
    }

    /** What the owner does when the channel may have missed signals. */
    Mono<Void> resync() {
        return resync;
    }

    void heard(Document document) {
        heard.emitNext(document, (signal, result) -> result == Sinks.EmitResult.FAIL_NON_SERIALIZED);
    }
}
