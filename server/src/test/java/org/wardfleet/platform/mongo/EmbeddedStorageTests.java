package org.wardfleet.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.wardfleet.support.SmallDisk;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The embedded database as an operator depends on it: what it acknowledged is on disk, only this process can use it,
 * one server per data directory, and a full disk is refused loudly and recovered from without a restart.
 */
class EmbeddedStorageTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<Object> published = new ArrayList<>();
    private final ApplicationEventPublisher events = new ApplicationEventPublisher() {
        @Override
        public void publishEvent(ApplicationEvent event) {
            published.add(event);
        }

        @Override
        public void publishEvent(Object event) {
            published.add(event);
        }
    };
    private final StorageStatus status = new StorageStatus(Clock.systemUTC(), events, new SimpleMeterRegistry());

    @Test
    void everyAcknowledgedWriteIsInTheFileTheMomentItIsAcknowledged(@TempDir Path dir) throws Exception {
        Path crashed = dir.resolve("after-crash");
        try (EmbeddedStorage storage = EmbeddedStorage.h2(dir.resolve("data"), status, 0, true);
                MongoClient client = client(storage)) {
            MongoCollection<Document> pages = client.getDatabase("wardfleet").getCollection("pages");
            // 300 writes from 16 concurrent callers, as a burst of pages would arrive
            Flux.range(0, 300).flatMap(i -> Mono.from(pages.insertOne(new Document("_id", "page-" + i))), 16)
                    .blockLast(WAIT);
            // what a kill -9 right now would leave behind: the file as it is, the process still running
            Files.createDirectories(crashed);
            Files.copy(dir.resolve("data/wardfleet.mv"), crashed.resolve("wardfleet.mv"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        try (EmbeddedStorage restarted = EmbeddedStorage.h2(crashed, status, 0, true);
                MongoClient client = client(restarted)) {
            long kept = Mono.from(client.getDatabase("wardfleet").getCollection("pages").countDocuments())
                    .block(WAIT);
            assertThat(kept).as("every acknowledged write survives").isEqualTo(300);
        }
    }

    @Test
    void noOtherLocalClientCanReadOrWriteTheDatabase(@TempDir Path dir) {
        try (EmbeddedStorage storage = EmbeddedStorage.inMemory(status);
                MongoClient owner = client(storage);
                MongoClient stranger = MongoClients.create(storage.connectionString());
                MongoClient guesser = MongoClients.create("mongodb://wardfleet:guessed-password@"
                        + storage.connectionString().substring("mongodb://".length()) + "/?authSource=admin")) {
            Mono.from(owner.getDatabase("wardfleet").getCollection("secrets").insertOne(new Document("_id", "k")))
                    .block(WAIT);
            assertThatThrownBy(() -> Mono.from(stranger.getDatabase("wardfleet").getCollection("secrets").find()
                    .first()).block(WAIT))
                    .isInstanceOf(MongoCommandException.class).hasMessageContaining("requires authentication");
            assertThatThrownBy(() -> Mono.from(stranger.getDatabase("wardfleet").getCollection("secrets")
                    .insertOne(new Document("_id", "planted"))).block(WAIT))
                    .hasMessageContaining("requires authentication");
            assertThatThrownBy(() -> Mono.from(guesser.getDatabase("wardfleet").getCollection("secrets").find()
                    .first()).block(WAIT))
                    .isInstanceOf(MongoSecurityException.class);
            assertThat(Mono.from(owner.getDatabase("wardfleet").getCollection("secrets").countDocuments())
                    .block(WAIT)).isEqualTo(1);
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedAtOnceInOneLine(@TempDir Path dir) {
        try (EmbeddedStorage first = EmbeddedStorage.h2(dir, status, 0, true)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> EmbeddedStorage.h2(dir, status, 0, true))
                    .isInstanceOf(DataDirectoryLock.Refused.class)
                    .hasMessageContaining("is in use by another Wardfleet server")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void theDataDirectoryAndItsFilesArePrivateToTheServersAccount(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(data.resolve("ca-passphrase"), "left world-readable by an older version");
        Files.setPosixFilePermissions(data.resolve("ca-passphrase"), PosixFilePermissions.fromString("rw-r--r--"));
        try (EmbeddedStorage storage = EmbeddedStorage.h2(data, status, 0, true)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("wardfleet.mv"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("ca-passphrase"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aReadOnlyDataDirectoryIsRefusedAtStartWithTheReason(@TempDir Path dir) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("mnt"), 8)) {
            disk.readOnly();
            assertThatThrownBy(() -> EmbeddedStorage.h2(disk.path(), status, 0, true))
                    .isInstanceOf(DataDirectoryLock.Refused.class)
                    .hasMessageContaining("is not writable")
                    .hasMessageContaining("Read-only file system");
        }
    }

    @Test
    void aDiskRunningLowRefusesWritesLoudlyKeepsReadsAndRecoversWithoutARestart(@TempDir Path dir) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("mnt"), 24)) {
            try (EmbeddedStorage storage = EmbeddedStorage.h2(disk.path(), status, 4L << 20, true);
                    MongoClient client = client(storage)) {
                MongoCollection<Document> pages = client.getDatabase("wardfleet").getCollection("pages");
                Mono.from(pages.insertOne(new Document("_id", "before"))).block(WAIT);

                disk.fill();
                await().atMost(WAIT).until(() -> !status.state().available());
                assertThat(status.state().reason()).contains("MB free");
                assertThatThrownBy(() -> Mono.from(pages.insertOne(new Document("_id", "during"))).block(WAIT))
                        .satisfies(e -> assertThat(StorageErrors.isUnavailable(e)).as(e.toString()).isTrue());
                assertThat(Mono.from(pages.find(new Document("_id", "before")).first()).block(WAIT)).isNotNull();
                assertThat(published).hasAtLeastOneElementOfType(StorageAvailabilityChanged.class);

                disk.free();
                await().atMost(WAIT).until(() -> status.state().available());
                Mono.from(pages.insertOne(new Document("_id", "after"))).block(WAIT);
                assertThat(Mono.from(pages.countDocuments()).block(WAIT)).isEqualTo(2);
            }
        }
    }

    @Test
    void aWriteTheDiskCannotTakeIsNeverAcknowledgedAndReadsGoOnUntilSpaceIsBack(@TempDir Path dir)
            throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("mnt"), 24)) {
            // no early refusal: the store itself must meet the full disk
            try (EmbeddedStorage storage = EmbeddedStorage.h2(disk.path(), status, 0, true);
                    MongoClient client = client(storage)) {
                MongoCollection<Document> pages = client.getDatabase("wardfleet").getCollection("pages");
                Mono.from(pages.insertOne(new Document("_id", "before"))).block(WAIT);
                acknowledged.add("before");
                disk.fill();
                String big = "x".repeat(64 * 1024);
                int refused = 0;
                for (int i = 0; i < 200 && refused == 0; i++) {
                    String id = "during-" + i;
                    try {
                        Mono.from(pages.insertOne(new Document("_id", id).append("text", big))).block(WAIT);
                        acknowledged.add(id);
                    } catch (RuntimeException e) {
                        assertThat(StorageErrors.isUnavailable(e)).as(e.toString()).isTrue();
                        refused++;
                    }
                }
                assertThat(refused).as("the full disk was met").isEqualTo(1);
                assertThat(status.state().available()).isFalse();
                // reads go on from the last durable state
                await().atMost(WAIT).ignoreExceptions().until(() -> Mono.from(pages.find(
                        new Document("_id", "before")).first()).block(WAIT) != null);

                disk.free();
                await().atMost(WAIT).until(() -> status.state().available());
                await().atMost(WAIT).ignoreExceptions().until(() -> {
                    Mono.from(pages.insertOne(new Document("_id", "after"))).block(WAIT);
                    return true;
                });
                acknowledged.add("after");
            }
            try (EmbeddedStorage restarted = EmbeddedStorage.h2(disk.path(), status, 0, true);
                    MongoClient client = client(restarted)) {
                List<String> kept = Flux.from(client.getDatabase("wardfleet").getCollection("pages").find())
                        .map(d -> d.getString("_id")).collectList().block(WAIT);
                assertThat(kept).containsAll(acknowledged);
            }
        }
    }

    private static MongoClient client(EmbeddedStorage storage) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(storage.connectionString()))
                .credential(storage.credential())
                .applyToClusterSettings(c -> c.serverSelectionTimeout(30, TimeUnit.SECONDS))
                .build());
    }
}
