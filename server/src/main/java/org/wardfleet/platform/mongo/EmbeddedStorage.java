package org.wardfleet.platform.mongo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoCredential;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The embedded database: an H2 file (or memory, for tests) behind a MongoDB-wire server on 127.0.0.1 that only this
 * process can use. With the H2 file:
 * <ul>
 * <li>every write's reply is durable before it is sent ({@link DurableWrites}): a 2xx from Wardfleet for a change
 * survives kill -9 and power loss;</li>
 * <li>the data directory is locked, private and checked writable before anything opens ({@link DataDirectoryLock});</li>
 * <li>when the disk runs low ({@code wardfleet.mongodb.embedded-min-free}) writes are refused before the store can
 * fail; if a write to the file fails anyway, the store is reopened read-only from its last durable state, so reads go
 * on; either way storage recovers by itself once space is back, without a restart.</li>
 * </ul>
 */
final class EmbeddedStorage implements EmbeddedWireServer.Storage, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStorage.class);
    static final String USER = "wardfleet";
    static final Duration CHECK = Duration.ofSeconds(2);

    private final Path file;
    private final DataDirectoryLock directory;
    private final StorageStatus status;
    private final long minFree;
    private final boolean sync;
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    private final ScheduledExecutorService checks;
    private final String password;
    private final EmbeddedWireServer server;
    private volatile MongoBackend backend;
    private volatile MVStore store;
    private volatile DurableWrites writes;
    /** Why writes are refused now, or null. */
    private volatile String refusing;
    private volatile boolean storeFailed;
    /** Guards the decisions on {@link #refusing} and {@link #storeFailed}. */
    private final Object state = new Object();

    /** Where the wire server listens and the password it accepts (the in-process default: loopback, any port). */
    record Listen(String host, int port, String password) {
        static Listen loopback() {
            return new Listen("127.0.0.1", 0, randomPassword());
        }
    }

    private EmbeddedStorage(Path file, DataDirectoryLock directory, StorageStatus status, long minFree, boolean sync,
            MongoBackend memory, Listen listen) {
        this.file = file;
        this.directory = directory;
        this.status = status;
        this.minFree = minFree;
        this.sync = sync;
        this.password = listen.password();
        if (memory != null) {
            this.backend = memory;
            memory.enableOplog();
            this.checks = null;
        } else {
            openWritable();
            DataDirectoryLock.makePrivate(directory.directory());
            this.checks = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "wardfleet-storage-check");
                t.setDaemon(true);
                return t;
            });
            checks.scheduleWithFixedDelay(this::check, 0, CHECK.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            this.server = new EmbeddedWireServer(this, ScramSha256.forPassword(USER, password), listen.host(),
                    listen.port());
        } catch (RuntimeException e) {
            if (checks != null) {
                checks.shutdownNow();
            }
            closeQuietly();
            throw e;
        }
    }

    static EmbeddedStorage inMemory(StorageStatus status) {
        return new EmbeddedStorage(null, null, status, 0, false, new KeyLookupIndex.Memory(), Listen.loopback());
    }

    /** Locks {@code dataDir} and opens (or creates) {@code wardfleet.mv} in it. */
    static EmbeddedStorage h2(Path dataDir, StorageStatus status, long minFree, boolean sync) {
        return h2(dataDir, status, minFree, sync, Listen.loopback());
    }

    /** As {@link #h2(Path, StorageStatus, long, boolean)}, listening where {@code listen} says ({@link StorageServer}). */
    static EmbeddedStorage h2(Path dataDir, StorageStatus status, long minFree, boolean sync, Listen listen) {
        DataDirectoryLock directory = DataDirectoryLock.acquire(dataDir);
        try {
            return new EmbeddedStorage(directory.directory().resolve("wardfleet.mv"), directory, status, minFree,
                    sync, null, listen);
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    String connectionString() {
        return "mongodb://" + server.address().getHostString() + ":" + server.address().getPort();
    }

    /** The client's credential; the password exists in this process's memory only. */
    MongoCredential credential() {
        return MongoCredential.createScramSha256Credential(USER, "admin", password.toCharArray());
    }

    /** The full URI (with the password) for a second instance in the same test JVM. */
    String uriWithCredentials() {
        return "mongodb://" + USER + ":" + password + "@127.0.0.1:" + server.address().getPort()
                + "/?authSource=admin&authMechanism=" + ScramSha256.MECHANISM;
    }

    String where() {
        return file == null ? "memory" : "H2 file " + file;
    }

    @Override
    public MongoBackend backend() {
        return backend;
    }

    @Override
    public <T> DurableWrites.Result<T> run(Supplier<T> command, boolean write) {
        swap.readLock().lock();
        try {
            DurableWrites durable = writes;
            if (durable == null) {
                return new DurableWrites.Result<>(command.get(), CompletableFuture.completedFuture(null));
            }
            return durable.run(command, write);
        } finally {
            swap.readLock().unlock();
        }
    }

    @Override
    public String unavailable() {
        return refusing;
    }

    @Override
    public void commandFailed(RuntimeException error) {
        MVStore current = store;
        if (current != null && current.isClosed() && !storeFailed) {
            storeFailed(error);
        } else if (current != null && current.getFileStore() != null && current.getFileStore().isReadOnly()) {
            // the read-only store while recovering: a write that reaches it is refused, never an unknown error
            synchronized (state) {
                if (refusing == null) {
                    refuse("the store is read-only while it recovers");
                }
            }
        }
    }

    /** The committer (or a command) found the store failed: refuse writes, keep reads on what is on disk. */
    private void storeFailed(Throwable error) {
        synchronized (state) {
            storeFailed = true;
            refuse("writing " + file + " failed: " + DataDirectoryLock.reasonOf(error));
        }
        if (checks != null) {
            checks.execute(this::reopenReadOnly);
        }
    }

    private void refuse(String reason) {
        refusing = reason;
        status.unavailable(reason);
    }

    /** Every {@link #CHECK}: refuse writes when the disk runs low, and recover when it no longer does. */
    private void check() {
        // one decision at a time: a store failing meanwhile must not be marked available by a check that began first
        synchronized (state) {
            checkNow();
        }
    }

    private void checkNow() {
        try {
            long free = Files.getFileStore(directory.directory()).getUsableSpace();
            if (free < minFree) {
                refuse(String.format("only %d MB free in %s (at least %d MB needed)", free >> 20,
                        directory.directory(), minFree >> 20));
                return;
            }
            if (refusing == null) {
                return;
            }
            if (storeFailed) {
                reopenWritable();
            } else if (free >= minFree + minFree / 2) {
                // a margin above the threshold, so that it does not flap
                refusing = null;
                status.available();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Storage check failed: {}", e.toString());
        }
    }

    private void openWritable() {
        MVStore.Builder builder = new MVStore.Builder().fileName(file.toString());
        // with durable replies, only the committer commits (a background commit could catch a command half done);
        // without them (a benchmark's baseline), H2's own writer commits about once a second, as before
        MVStore opened = (sync ? builder.autoCommitDisabled() : builder).open();
        H2Backend h2 = new KeyLookupIndex.H2(opened);
        h2.enableOplog();
        store = opened;
        backend = h2;
        writes = sync ? new DurableWrites(new FileStore(opened), this::storeFailed, Duration.ofSeconds(30)) : null;
    }

    private void reopenReadOnly() {
        swap.writeLock().lock();
        try {
            closeQuietly();
            try {
                MVStore opened = new MVStore.Builder().fileName(file.toString()).readOnly().open();
                store = opened;
                backend = new KeyLookupIndex.H2(opened);
                log.warn("Storage reopened read-only from its last durable state: reads go on, writes wait");
            } catch (RuntimeException e) {
                log.error("Storage could not be reopened even read-only: {}", e.toString());
            }
        } finally {
            swap.writeLock().unlock();
        }
    }

    private void reopenWritable() {
        boolean opened = false;
        swap.writeLock().lock();
        try {
            DataDirectoryLock.probe(directory.directory());
            closeQuietly();
            openWritable();
            opened = true;
            storeFailed = false;
            refusing = null;
            status.available();
        } catch (RuntimeException e) {
            log.debug("Storage not writable yet: {}", e.toString());
        } finally {
            swap.writeLock().unlock();
        }
        if (!opened && (store == null || store.isClosed())) {
            reopenReadOnly();
        }
    }

    private void closeQuietly() {
        DurableWrites w = writes;
        writes = null;
        if (w != null) {
            w.close();
        }
        MongoBackend b = backend;
        MVStore s = store;
        try {
            if (s != null && !s.isClosed()) {
                if (s.getFileStore() != null && !s.getFileStore().isReadOnly() && !storeFailed) {
                    b.close();
                } else {
                    s.closeImmediately();
                }
            }
        } catch (RuntimeException e) {
            log.debug("Closing the failed store: {}", e.toString());
            if (s != null) {
                s.closeImmediately();
            }
        }
    }

    @Override
    public void close() {
        server.close();
        if (checks != null) {
            checks.shutdownNow();
        }
        swap.writeLock().lock();
        try {
            DurableWrites w = writes;
            writes = null;
            if (w != null) {
                w.close();
            }
            // closing the backend closes the H2 store, which writes what is left and marks a clean shutdown
            if (backend instanceof AbstractMongoBackend b) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    log.warn("Closing storage: {}", e.toString());
                }
            }
        } finally {
            swap.writeLock().unlock();
            if (directory != null) {
                directory.close();
            }
        }
    }

    private static String randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The H2 file as the committer sees it. */
    private record FileStore(MVStore store) implements DurableWrites.Store {
        @Override
        public boolean hasUnsavedChanges() {
            return store.hasUnsavedChanges();
        }

        @Override
        public void commit() {
            store.commit();
        }

        @Override
        public void force() {
            store.sync();
        }
    }
}
