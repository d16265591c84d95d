package org.wardfleet.platform.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.BsonDocument;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoServerException;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.OperationType;
import com.mongodb.reactivestreams.client.ChangeStreamPublisher;
import com.mongodb.reactivestreams.client.MongoCollection;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One instance's change stream on one signal channel. It remembers the position (resume token) of the last change it
 * saw, resumes after it when the stream breaks, and — when the instance has a name ({@link SignalProperties}) —
 * saves it in {@code signal_cursors} at most every {@code tokenInterval}, so the instance, restarted, resumes where
 * it stopped. When the server no longer has the history after that position (MongoDB: ChangeStreamHistoryLost 286,
 * ChangeStreamFatalError 280, InvalidResumeToken 260; the embedded server fails the resume with another error, which
 * a resumed stream is treated the same way on), or the saved position is older than {@code maxResumeAge}, signals
 * may have been missed: the stream reopens from now at once, and the channel's owner resynchronises (devices and
 * sessions fetch what they missed), logged and counted in {@code wardfleet.signals.resyncs}.
 */
final class ChangeStreamWatch {

    private static final Logger log = LoggerFactory.getLogger(ChangeStreamWatch.class);
    static final Set<Integer> HISTORY_LOST = Set.of(286, 280, 260);
    /** The change-streams specification's resumable errors (servers before 4.4 send no error label). */
    private static final Set<Integer> RESUMABLE = Set.of(6, 7, 43, 63, 89, 91, 133, 150, 189, 234, 262, 9001,
            10107, 11600, 11602, 13388, 13435, 13436);

    private final SignalChannel<?> channel;
    private final MongoCollection<Document> cursors;
    private final SignalProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AtomicReference<BsonDocument> token = new AtomicReference<>();
    private final AtomicBoolean resyncDue = new AtomicBoolean();
    private volatile BsonDocument saved;
    /** Whether the stream now open resumed from a position (only such a stream can have lost its history). */
    private volatile boolean resuming;
    private volatile boolean seenSinceOpen;

    ChangeStreamWatch(SignalChannel<?> channel, MongoCollection<Document> cursors, SignalProperties properties,
            Clock clock, MeterRegistry meters) {
        this.channel = channel;
        this.cursors = cursors;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** Watches until cancelled: the stream feeding the channel and, for a named instance, its saved position. */
    Flux<Void> run() {
        Flux<Void> watching = restore()
                .retryWhen(backoff("reading its saved position"))
                .thenMany(Flux.defer(this::open)
                        .retryWhen(Retry.indefinitely().filter(this::historyLost))
                        .retryWhen(backoff("change stream")));
        if (!properties.persistent()) {
            return watching;
        }
        return watching.mergeWith(Flux.interval(properties.tokenInterval())
                .onBackpressureDrop()
                .concatMap(tick -> save().onErrorResume(e -> {
                    log.warn("Signal channel {}: saving its position failed; will retry: {}", channel.name(),
                            e.toString());
                    return Mono.empty();
                }))
                .thenMany(Flux.empty()));
    }

    private Retry backoff(String what) {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                .doBeforeRetry(r -> log.warn("Signal channel {}: {} failed; retrying: {}", channel.name(), what,
                        r.failure().toString()));
    }

    /** Saves the position if it moved since last saved (also when the instance stops). */
    Mono<Void> save() {
        BsonDocument now = token.get();
        if (!properties.persistent() || now == null || now.equals(saved)) {
            return Mono.empty();
        }
        return Mono.from(cursors.replaceOne(eq("_id", id()), new Document("_id", id())
                        .append("instance", properties.instance()).append("channel", channel.name())
                        .append("token", now).append("savedAt", Documents.date(clock.instant())),
                new ReplaceOptions().upsert(true)))
                .doOnSuccess(r -> saved = now)
                .then();
    }

    private String id() {
        return properties.instance() + "/" + channel.name();
    }

    /** The saved position, if fresh enough to replay from; a stale one means a resync. */
    private Mono<Void> restore() {
        if (!properties.persistent()) {
            return Mono.empty();
        }
        return Mono.from(cursors.find(eq("_id", id())).first())
                .doOnNext(d -> {
                    Instant savedAt = Documents.instant(d.getDate("savedAt"));
                    Document position = d.get("token", Document.class);
                    if (savedAt == null || position == null
                            || savedAt.isBefore(clock.instant().minus(properties.maxResumeAge()))) {
                        lost("its saved position is from " + savedAt + ", older than "
                                + properties.maxResumeAge());
                    } else {
                        token.set(position.toBsonDocument());
                        saved = token.get();
                        log.info("Signal channel {}: resuming from the position saved at {}", channel.name(), savedAt);
                    }
                })
                .then();
    }

    private Flux<Void> open() {
        BsonDocument from = token.get();
        resuming = from != null;
        seenSinceOpen = false;
        ChangeStreamPublisher<Document> stream = channel.collection().watch();
        Flux<Void> changes = Flux.from(from == null ? stream : stream.resumeAfter(from))
                .doOnNext(this::heard)
                .thenMany(Flux.empty());
        if (!resyncDue.getAndSet(false)) {
            return changes;
        }
        // the stream is opened first; devices and sessions told to fetch reach the durable state after that
        return changes.mergeWith(channel.resync()
                .delaySubscription(Duration.ofMillis(200))
                .onErrorResume(e -> {
                    log.warn("Signal channel {}: resynchronising failed: {}", channel.name(), e.toString());
                    return Mono.empty();
                })
                .thenMany(Flux.empty()));
    }

    private void heard(ChangeStreamDocument<Document> change) {
        seenSinceOpen = true;
        if (change.getResumeToken() != null) {
            token.set(change.getResumeToken());
        }
        if (change.getOperationType() == OperationType.INSERT && change.getFullDocument() != null) {
            channel.heard(change.getFullDocument());
        }
    }

    /** Whether the stream failed because its position is gone; if so, the next one opens from now and resyncs. */
    private boolean historyLost(Throwable e) {
        boolean lost = e instanceof MongoServerException server && (HISTORY_LOST.contains(server.getCode())
                // the embedded server: a resume refused before anything was seen, for a reason no retry mends
                || resuming && !seenSinceOpen && !server.getErrorLabels().contains("ResumableChangeStreamError")
                        && !RESUMABLE.contains(server.getCode()));
        if (lost) {
            lost("the server no longer has its history (" + e.getMessage() + ")");
        }
        return lost;
    }

    private void lost(String why) {
        token.set(null);
        saved = null;
        resyncDue.set(true);
        meters.counter("wardfleet.signals.resyncs", "channel", channel.name()).increment();
        log.warn("Signal channel {} may have missed signals: {}; resynchronising from now", channel.name(), why);
    }
}
