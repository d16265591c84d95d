package org.wardfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** The stream a phone keeps open: reconnection with back-off and jitter, and the move on a reconnect hint. */
class ReconnectingStreamTests {

    /** One connection as the server side of the test sees it. */
    static final class Connection {
        final Consumer<String> events;
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final Instant openedAt = Instant.now();
        volatile Instant closedAt;

        Connection(Consumer<String> events) {
            this.events = events;
        }
    }

    @Test
    void aDroppedStreamIsOpenedAgainAndTheAppToldEachTime() throws Exception {
        List<Connection> connections = new CopyOnWriteArrayList<>();
        List<Instant> connected = new CopyOnWriteArrayList<>();
        try (ReconnectingStream stream = ReconnectingStream.start(events -> open(connections, events),
                listener(connected), new ReconnectingStream.Backoff(Duration.ofMillis(50), Duration.ofMillis(400)))) {
            await(() -> connected.size() == 1);
            connections.get(0).closed.completeExceptionally(new java.io.IOException("instance died"));
            await(() -> connected.size() == 2);
            assertThat(stream.connections()).isEqualTo(2);
            assertThat(stream.current()).isNotNull();
        }
    }

    @Test
    void aReconnectHintOpensTheNewStreamBeforeTheOldOneCloses() throws Exception {
        List<Connection> connections = new CopyOnWriteArrayList<>();
        List<Instant> connected = new CopyOnWriteArrayList<>();
        try (ReconnectingStream stream = ReconnectingStream.start(events -> open(connections, events),
                listener(connected), ReconnectingStream.Backoff.DEFAULT)) {
            await(() -> connected.size() == 1);
            connections.get(0).events.accept("{\"withinMs\":200,\"type\":\"reconnect\"}");
            await(() -> connected.size() == 2);
            await(() -> connections.get(0).closedAt != null);
            assertThat(connections.get(0).closedAt).as("the old stream closed after the new one was open")
                    .isAfterOrEqualTo(connections.get(1).openedAt);
            assertThat(connections).hasSize(2);
        }
    }

    @Test
    void backOffIsJitteredOverItsWholeRangeAndCapped() {
        ReconnectingStream.Backoff backoff = new ReconnectingStream.Backoff(Duration.ofMillis(500),
                Duration.ofSeconds(30));
        Set<Long> first = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long ms = backoff.delay(0).toMillis();
            assertThat(ms).isBetween(0L, 500L);
            first.add(ms);
            assertThat(backoff.delay(3).toMillis()).isBetween(0L, 4_000L);
            assertThat(backoff.delay(40).toMillis()).isBetween(0L, 30_000L);
        }
        assertThat(first).as("phones that lost the same instance do not come back together").hasSizeGreaterThan(50);
    }

    private static ReconnectingStream.Listener listener(List<Instant> connected) {
        return new ReconnectingStream.Listener() {
            @Override
            public void connected(DeviceStream stream) {
                connected.add(Instant.now());
            }

            @Override
            public void event(String event) {
            }
        };
    }

    private static CompletableFuture<DeviceStream> open(List<Connection> connections, Consumer<String> events) {
        Connection connection = new Connection(events);
        connections.add(connection);
        return CompletableFuture.completedFuture(new DeviceStream(new FakeSocket(connection), connection.closed));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The client side of a connection: closing it records when and ends the connection. */
    private record FakeSocket(Connection connection) implements WebSocket {
        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            if (connection.closedAt == null) {
                connection.closedAt = Instant.now();
            }
            connection.closed.complete(null);
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return connection.closed.isDone();
        }

        @Override
        public boolean isInputClosed() {
            return connection.closed.isDone();
        }

        @Override
        public void abort() {
            sendClose(1006, "");
        }
    }
}
