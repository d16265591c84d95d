package org.wardfleet.sdk;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * A device stream that stays open: when it drops (the instance holding it died, the network changed) it is opened
 * again after a back-off with jitter, and after every (re)connection {@link Listener#connected} runs — subscribe there
 * and fetch what arrived while the device was away (only the inbox has it). Behind a load balancer the new connection
 * lands on a surviving instance.
 * <ul>
 * <li><b>Back-off with full jitter</b>: the n-th attempt in a row waits a random time in
 * {@code [0, min(max, initial · 2^n)]}, so a few hundred phones that lost the same instance do not all come back in the
 * same instant (and do not hammer an instance that is starting). A connection that stays open resets the count.</li>
 * <li><b>Reconnect hint</b>: an instance that is shutting down sends {@code {"type":"reconnect","withinMs":n}} and
 * closes later; the stream opens a new connection at a random moment within {@code n} ms (the load balancer no longer
 * sends it to the draining instance), and only then closes the old one, so the device is never unreachable.</li>
 * </ul>
 * Callbacks run on the SDK's own daemon threads and may block (fetching over HTTP is fine).
 */
public final class ReconnectingStream implements AutoCloseable {

    /** What the app does with the stream. */
    public interface Listener {
        /** A new connection is open (the first, or a reconnection): subscribe, then fetch what was missed. */
        void connected(DeviceStream stream);

        /** One event ({@code hello}, {@code sync}, {@code deliver}, …; {@code reconnect} is handled here first). */
        void event(String event);
    }

    /** Back-off between failed attempts: random in {@code [0, min(max, initial · 2^attempt)]}. */
    public record Backoff(Duration initial, Duration max) {

        /** Half a second doubling up to 30 s: a dead instance's phones are back within a few seconds. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

        public Backoff {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("Back-off needs 0 < initial <= max");
            }
        }

        /** The wait before attempt {@code attempt} (0: the first after a drop), jittered over its whole range. */
        public Duration delay(int attempt) {
            long cap = initial.toMillis() << Math.min(attempt, 20);
            cap = Math.min(max.toMillis(), cap);
            return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
        }
    }

    /** Longest spread a reconnect hint may ask for (a malformed or hostile value is capped). */
    static final long MAX_HINT_MS = 60_000;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(1,
            daemon("wardfleet-sdk-reconnect"));
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemon("wardfleet-sdk-stream"));

    private final java.util.function.Function<java.util.function.Consumer<String>,
            java.util.concurrent.CompletableFuture<DeviceStream>> opener;
    private final Listener listener;
    private final Backoff backoff;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final Object lock = new Object();
    private DeviceStream current; // guarded by lock
    private boolean hinted; // guarded by lock: a reconnection for the current stream is already scheduled
    private boolean closed; // guarded by lock

    private ReconnectingStream(java.util.function.Function<java.util.function.Consumer<String>,
            java.util.concurrent.CompletableFuture<DeviceStream>> opener, Listener listener, Backoff backoff) {
        this.opener = opener;
        this.listener = listener;
        this.backoff = backoff;
    }

    /** Opens the stream (asynchronously: {@link Listener#connected} says when) and keeps it open until closed. */
    static ReconnectingStream start(java.util.function.Function<java.util.function.Consumer<String>,
            java.util.concurrent.CompletableFuture<DeviceStream>> connect, Listener listener, Backoff backoff) {
        ReconnectingStream stream = new ReconnectingStream(connect, listener, backoff);
        stream.attempt();
        return stream;
    }

    /** Connections opened so far (1 after the first; each reconnection adds one). */
    public long connections() {
        return connections.get();
    }

    /** The open stream, or null while reconnecting. */
    public DeviceStream current() {
        synchronized (lock) {
            return current;
        }
    }

    private void attempt() {
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        java.util.concurrent.CompletableFuture<DeviceStream> opening;
        java.util.concurrent.atomic.AtomicReference<DeviceStream> mine = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            opening = opener.apply(event -> onEvent(mine.get(), event));
        } catch (RuntimeException e) {
            retryLater();
            return;
        }
        opening.whenCompleteAsync((stream, error) -> {
            if (error != null) {
                retryLater();
                return;
            }
            mine.set(stream);
            DeviceStream previous;
            synchronized (lock) {
                if (closed) {
                    stream.close();
                    return;
                }
                previous = current;
                current = stream;
                hinted = false;
            }
            connections.incrementAndGet();
            failures.set(0);
            stream.closed().whenComplete((done, dropped) -> lost(stream));
            if (previous != null) {
                previous.close(); // make before break: the old (draining) instance's stream goes once this one is up
            }
            try {
                listener.connected(stream);
            } catch (RuntimeException e) {
                // the app could not subscribe or fetch: the next event (or reconnection) gives it another chance
            }
        }, CALLBACKS);
    }

    private void retryLater() {
        schedule(backoff.delay(failures.getAndIncrement()).toMillis());
    }

    private void schedule(long delayMs) {
        TIMERS.schedule(() -> CALLBACKS.execute(this::attempt), delayMs, TimeUnit.MILLISECONDS);
    }

    /** A stream ended: if it is the current one and no hinted reconnection is on its way, reconnect after back-off. */
    private void lost(DeviceStream stream) {
        synchronized (lock) {
            if (closed || current != stream) {
                return;
            }
            current = null;
            if (hinted) {
                return;
            }
        }
        retryLater();
    }

    private void onEvent(DeviceStream from, String event) {
        if (event.contains("\"type\":\"reconnect\"")) {
            long within;
            try {
                JsonNode hint = Http.JSON.readTree(event);
                within = Math.max(0, Math.min(MAX_HINT_MS, hint.path("withinMs").asLong(0)));
            } catch (RuntimeException e) {
                within = 0;
            }
            synchronized (lock) {
                // only the stream in use moves: a hint on one already replaced (or not yet in use) changes nothing
                if (closed || hinted || from == null || from != current) {
                    return;
                }
                hinted = true;
            }
            schedule(within == 0 ? 0 : ThreadLocalRandom.current().nextLong(within + 1));
            return;
        }
        listener.event(event);
    }

    @Override
    public void close() {
        DeviceStream open;
        synchronized (lock) {
            closed = true;
            open = current;
            current = null;
        }
        if (open != null) {
            open.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
