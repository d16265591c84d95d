package org.wardfleet.platform.mongo;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.bson.Document;
import org.springframework.context.SmartLifecycle;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Opens {@link SignalChannel}s and, against an external MongoDB, runs one change stream per channel for this instance
 * from start-up (before the web server takes connections) until shutdown, when each channel's position is saved a
 * last time. With the embedded server — one process by construction — there is no change stream: its change streams
 * scan the whole oplog on every poll, which made a 10,000-device broadcast quadratic; a second instance pointed at an
 * embedded server (a test set-up) is in external mode and still hears the first one's inserts through its stream.
 */
public final class SignalChannels implements SmartLifecycle {

    private final MongoDatabase db;
    private final boolean local;
    private final SignalProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private final List<ChangeStreamWatch> watches = new CopyOnWriteArrayList<>();
    private volatile Disposable.Composite running;

    SignalChannels(MongoDatabase db, boolean local, SignalProperties properties, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.local = local;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * @param collection the signal collection
     * @param keep how long a signal is kept before {@link SignalChannel#sweep()} deletes it; null: never swept
     * @param resync what to do when this instance may have missed signals (tell whoever listens to fetch)
     */
    public <T> SignalChannel<T> open(String collection, Function<T, Document> write, Function<Document, T> read,
            Duration keep, Mono<Void> resync) {
        MongoCollection<Document> signals = db.getCollection(collection);
        SignalChannel<T> channel = new SignalChannel<>(signals, write, read, keep, clock, resync, local);
        if (!local) {
            ChangeStreamWatch watch = new ChangeStreamWatch(channel, db.getCollection("signal_cursors"), properties,
                    clock, meters);
            watches.add(watch);
            Disposable.Composite r = running;
            if (r != null) {
                r.add(watch.run().subscribe());
            }
        }
        return channel;
    }

    @Override
    public void start() {
        Disposable.Composite r = Disposables.composite();
        watches.forEach(w -> r.add(w.run().subscribe()));
        running = r;
    }

    @Override
    public void stop(Runnable callback) {
        Disposable.Composite r = running;
        running = null;
        if (r != null) {
            r.dispose();
        }
        Flux.fromIterable(watches).concatMap(w -> w.save().onErrorResume(e -> Mono.empty()))
                .timeout(Duration.ofSeconds(5), Flux.empty())
                .doFinally(s -> callback.run())
                .subscribe();
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    /** Before the web server (and the device streams it accepts) starts; after it stops. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
