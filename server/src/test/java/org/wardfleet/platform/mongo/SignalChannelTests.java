package org.wardfleet.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A signal channel against a server with change streams (external mode, here the embedded server with its oplog, as
 * a second instance sees it): an instance restarted under the same name resumes where it stopped and hears what was
 * signalled while it was down; a position the server cannot resume from, or one too old to replay, makes it
 * resynchronise — the owner's resync runs and is counted — and it goes on hearing new signals.
 */
class SignalChannelTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    MongoServer server;
    MongoClient client;
    MongoDatabase db;

    @BeforeEach
    void startServer() {
        server = new MongoServer(new KeyLookupIndex.Memory());
        server.enableOplog();
        var address = server.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        db = client.getDatabase("signals-test");
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void anInstanceRestartedUnderItsNameHearsWhatWasSignalledWhileItWasDown() throws Exception {
        SignalProperties named = new SignalProperties("node-1", Duration.ofMillis(100), Duration.ofMinutes(15));
        Instance first = new Instance(named);
        insertUntilHeard(first, "before");
        // its position is saved within the token interval
        await().atMost(WAIT).until(() -> Mono.from(db.getCollection("signal_cursors")
                .countDocuments(Filters.eq("_id", "node-1/test_signals"))).block() == 1);
        first.stop();

        insert("while-down-1");
        insert("while-down-2");

        Instance restarted = new Instance(named);
        await().atMost(WAIT).until(() -> restarted.heard.contains("while-down-2"));
        assertThat(restarted.heard).containsSubsequence("while-down-1", "while-down-2").doesNotContain("before");
        assertThat(restarted.resyncs.get()).isZero();
        restarted.stop();
    }

    @Test
    void aPositionTheServerCannotResumeFromMeansAResyncThenSignalsAgain() throws Exception {
        Mono.from(db.getCollection("signal_cursors").insertOne(new Document("_id", "node-2/test_signals")
                .append("token", new Document("_data", "not-a-position")).append("savedAt",
                        Documents.date(Clock.systemUTC().instant())))).block();
        Instance instance = new Instance(new SignalProperties("node-2", Duration.ofMillis(100),
                Duration.ofMinutes(15)));
        await().atMost(WAIT).until(() -> instance.resyncs.get() == 1);
        assertThat(instance.meters.counter("wardfleet.signals.resyncs", "channel", "test_signals").count())
                .isEqualTo(1.0);
        insertUntilHeard(instance, "after");
        assertThat(instance.resyncs.get()).isEqualTo(1);
        instance.stop();
    }

    @Test
    void aSavedPositionOlderThanTheLimitIsNotReplayedButResynchronised() throws Exception {
        SignalProperties named = new SignalProperties("node-3", Duration.ofMillis(100), Duration.ofSeconds(1));
        Instance first = new Instance(named);
        insertUntilHeard(first, "before");
        await().atMost(WAIT).until(() -> Mono.from(db.getCollection("signal_cursors")
                .countDocuments(Filters.eq("_id", "node-3/test_signals"))).block() == 1);
        first.stop();
        insert("long-ago");
        Thread.sleep(1_500); // the saved position ages past the limit

        Instance restarted = new Instance(named);
        await().atMost(WAIT).until(() -> restarted.resyncs.get() == 1);
        insertUntilHeard(restarted, "now");
        assertThat(restarted.heard).doesNotContain("long-ago", "before");
        restarted.stop();
    }

    private void insert(String id) {
        Mono.from(db.getCollection("test_signals").insertOne(new Document("_id", id))).block();
    }

    /** The stream opens asynchronously: probe until it hears, then the signal itself. */
    private void insertUntilHeard(Instance instance, String id) {
        AtomicInteger probe = new AtomicInteger();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            insert("probe-" + id + "-" + probe.incrementAndGet());
            return instance.heard.stream().anyMatch(h -> h.startsWith("probe-" + id));
        });
        insert(id);
        await().atMost(WAIT).until(() -> instance.heard.contains(id));
    }

    /** One Wardfleet instance's channels: its own SignalChannels on the shared database. */
    final class Instance {
        final List<String> heard = new CopyOnWriteArrayList<>();
        final AtomicInteger resyncs = new AtomicInteger();
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final SignalChannels channels;
        final Disposable listening;

        Instance(SignalProperties properties) {
            channels = new SignalChannels(db, false, properties, Clock.systemUTC(), meters);
            SignalChannel<Document> channel = channels.open("test_signals", d -> d, d -> d, Duration.ofMinutes(5),
                    Mono.fromRunnable(resyncs::incrementAndGet));
            listening = channel.watch().subscribe(d -> heard.add(d.getString("_id")));
            channels.start();
        }

        void stop() throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            channels.stop(stopped::countDown);
            assertThat(stopped.await(60, TimeUnit.SECONDS)).isTrue();
            listening.dispose();
        }
    }
}
