package org.wardfleet.platform.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Group commit for the embedded H2 store: no reply leaves the embedded server before what it reports is on disk.
 * <p>
 * Commands run under a shared lock. After a write, its reply waits for the first commit that starts after it (if the
 * store then holds unsaved changes) and is released once that commit has been written and forced to disk; reads
 * reply at once (as MongoDB's readConcern "local" does). One committer thread takes the exclusive lock only while a commit captures the
 * store (so no command is ever half in a commit: a document and its index entries go to disk together) and forces the
 * file after releasing it, while the next commands run; every reply that waited during that time shares the next
 * commit. A commit or force that fails fails every waiting reply and reports the failure once: nothing the store did
 * not keep is ever acknowledged.
 */
final class DurableWrites implements AutoCloseable {

    /** The store as the committer sees it. */
    interface Store {
        boolean hasUnsavedChanges();

        /** Writes the unsaved changes as one atomic version (to the operating system). */
        void commit();

        /** Forces the file to the device. */
        void force();
    }

    private final Store store;
    private final Consumer<Throwable> onFailure;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object monitor = new Object();
    private final List<Waiter> waiting = new ArrayList<>();
    private final Thread committer;
    /** Commits started (guarded by the exclusive lock for writing, by the shared lock for reading). */
    private volatile long started;
    private long durable; // guarded by monitor
    private Throwable failure; // guarded by monitor
    private volatile boolean running = true;
    private final Duration idleWait;

    private record Waiter(long generation, CompletableFuture<Void> done) {
    }

    DurableWrites(Store store, Consumer<Throwable> onFailure, Duration idleWait) {
        this.store = store;
        this.onFailure = onFailure;
        this.idleWait = idleWait;
        this.committer = new Thread(this::commitLoop, "wardfleet-storage-commit");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /**
     * Runs a command under the shared lock and returns when its reply may go. A read replies at once. A write replies
     * once the next commit is durable (completed exceptionally if it fails) — or at once if the store holds nothing
     * unsaved (it changed nothing). A commit captures the whole store, so a write's reply also proves durable
     * everything its client read before it: a request whose last storage step is a write (every request that
     * answers 2xx for a change) never answers for anything that could still be lost.
     */
    <T> Result<T> run(java.util.function.Supplier<T> command, boolean write) {
        long needed;
        T value;
        lock.readLock().lock();
        try {
            value = command.get();
            if (!write) {
                return new Result<>(value, CompletableFuture.completedFuture(null));
            }
            // no commit can capture the store while we hold the shared lock: "started" is stable here, and a commit
            // that starts after we release it sees everything this command did
            needed = store.hasUnsavedChanges() ? started + 1 : started;
        } finally {
            lock.readLock().unlock();
        }
        return new Result<>(value, durableAt(needed));
    }

    record Result<T>(T value, CompletableFuture<Void> durable) {
    }

    private CompletableFuture<Void> durableAt(long generation) {
        synchronized (monitor) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (generation <= durable) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiting.add(new Waiter(generation, done));
            monitor.notifyAll();
            return done;
        }
    }

    /** Runs {@code action} with no command running (replacing the store, housekeeping). */
    void exclusively(Runnable action) {
        lock.writeLock().lock();
        try {
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void commitLoop() {
        while (true) {
            synchronized (monitor) {
                while (running && waiting.isEmpty()) {
                    try {
                        monitor.wait(idleWait.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                // on close, what is still waiting is committed first
                if (failure != null || (!running && waiting.isEmpty())) {
                    return;
                }
            }
            long generation;
            try {
                lock.writeLock().lock();
                try {
                    generation = ++started;
                    store.commit();
                } finally {
                    lock.writeLock().unlock();
                }
                store.force();
            } catch (Throwable error) {
                fail(error);
                return;
            }
            synchronized (monitor) {
                durable = generation;
                for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
                    Waiter waiter = it.next();
                    if (waiter.generation() <= generation) {
                        it.remove();
                        waiter.done().complete(null);
                    }
                }
            }
        }
    }

    private void fail(Throwable error) {
        List<Waiter> failed;
        synchronized (monitor) {
            failure = error;
            failed = new ArrayList<>(waiting);
            waiting.clear();
        }
        // loud first: by the time a caller hears its write was refused, readiness and the gauge already say why
        onFailure.accept(error);
        failed.forEach(w -> w.done().completeExceptionally(error));
    }

    boolean failed() {
        synchronized (monitor) {
            return failure != null;
        }
    }

    /** Stops the committer after a last commit of whatever is waiting. */
    @Override
    public void close() {
        running = false;
        synchronized (monitor) {
            monitor.notifyAll();
        }
        try {
            committer.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Waiter> left;
        synchronized (monitor) {
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        if (!left.isEmpty()) {
            IllegalStateException closed = new IllegalStateException("storage closed before the write was kept");
            left.forEach(w -> w.done().completeExceptionally(closed));
        }
    }
}
