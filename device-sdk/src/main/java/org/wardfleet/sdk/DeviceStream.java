package org.wardfleet.sdk;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The device's WebSocket to {@code /device/v1/stream}, authenticated on the upgrade request like any device call.
 * Events are tiny JSON texts; a {@code sync} event means "fetch your policy (or messages) now". If the stream drops,
 * the app reconnects with back-off and jitter and relies on check-in meanwhile: {@link ReconnectingStream} does that, and
 * follows a {@code reconnect} event (an instance that is shutting down) by moving to another instance at once.
 */
public final class DeviceStream implements AutoCloseable {

    static final String PATH = "/device/v1/stream";

    private final WebSocket socket;
    private final CompletableFuture<Void> closed;

    DeviceStream(WebSocket socket, CompletableFuture<Void> closed) {
        this.socket = socket;
        this.closed = closed;
    }

    static DeviceStream open(Http http, Map<String, String> headers, Consumer<String> onEvent) {
        return connect(http, headers, onEvent).orTimeout(15, TimeUnit.SECONDS).join();
    }

    /** Opens the stream without waiting (what {@link ReconnectingStream} uses, for many phones on few threads). */
    static CompletableFuture<DeviceStream> connect(Http http, Map<String, String> headers, Consumer<String> onEvent) {
        String url = http.baseUrl().replaceFirst("^http", "ws") + PATH;
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket.Builder builder = http.client().newWebSocketBuilder();
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> building = builder.buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String event = partial.toString();
                    partial.setLength(0);
                    onEvent.accept(event);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        });
        // a handshake that completes after the caller gave up must not leave a stream open that nobody reads: the
        // server would go on holding (and waking) the device there, and a retry would make a second one
        CompletableFuture<WebSocket> bounded = building.copy().orTimeout(15, TimeUnit.SECONDS);
        bounded.whenComplete((socket, error) -> {
            if (error != null) {
                building.thenAccept(WebSocket::abort);
            }
        });
        return bounded.thenApply(socket -> new DeviceStream(socket, closed));
    }

    /**
     * Asks for the messages after {@code cursor} on this stream (no new token or connection): the answer arrives as
     * a {@code messages} event — read it with {@link DeviceClient#readInbox} — or, if the server refuses, as an
     * {@code error} event carrying the same {@code id}; then fetch over HTTP instead.
     */
    public void requestMessages(String cursor, String requestId) {
        sendFrame(fetchFrame(cursor, requestId, null));
    }

    /**
     * As {@link #requestMessages(String, String)}, naming the message key this device holds ({@code null}: none): if
     * the server's key in use is another, the messages come encrypted to the enrolled key, which the device can always
     * open — how a device that could not open a pushed copy gets it ({@link DeviceClient#receivePushed} does the same
     * over HTTP).
     */
    public void requestMessages(String cursor, String requestId, DeviceClient.MessageKey held) {
        sendFrame(fetchFrame(cursor, requestId, DeviceClient.held(held)));
    }

    static String fetchFrame(String cursor, String requestId, String kid) {
        if (!cursor.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("A cursor is the digits a fetch returned");
        }
        return "{\"type\":\"fetch\",\"after\":\"" + cursor + "\""
                + (kid == null ? "" : ",\"kid\":\"" + kid.replaceAll("[^A-Za-z0-9_-]", "") + "\"")
                + (requestId == null ? "" : ",\"id\":\"" + requestId.replaceAll("[^A-Za-z0-9._-]", "") + "\"")
                + "}";
    }

    /**
     * Asks the server to push new messages on this stream as {@code deliver} events (read them with
     * {@link DeviceClient#readPushed}) instead of {@code sync} wake-ups, while the stream lasts — for a device that
     * holds a message key (one without still gets {@code sync} and fetches). The answer is a {@code subscribed} event.
     * Subscribe on every (re)connection, then fetch once: messages sent while the device was away are only in its
     * inbox. A message can arrive both ways; keep them by id.
     */
    public void subscribeMessages() {
        sendFrame("{\"type\":\"subscribe\",\"topics\":[\"messages\"]}");
    }

    /**
     * Sends the receipts of pushed messages back (after the app has stored and shown them): they become DELIVERED. The
     * answer is a {@code recorded} event, or an {@code error} event ({@code receipt-invalid}) — then fetch instead.
     */
    public void confirmDelivered(DeviceClient.Pushed pushed) {
        confirmDelivered(java.util.List.of(pushed));
    }

    /** Receipts per frame: well inside the server's 4,096-character frame limit. */
    static final int RECEIPTS_PER_FRAME = 30;

    /**
     * The receipts of several {@code deliver} events in as few frames as possible (30 a frame): confirm messages that
     * arrived together in one call, since a stream answers at most 10 frames a second.
     */
    public void confirmDelivered(java.util.Collection<DeviceClient.Pushed> pushed) {
        deliveredFrames(pushed).forEach(this::sendFrame);
    }

    /** The {@code delivered} frames for these receipts; an id or token not from a deliver event is refused. */
    static java.util.List<String> deliveredFrames(java.util.Collection<DeviceClient.Pushed> pushed) {
        java.util.List<String> entries = new java.util.ArrayList<>();
        for (DeviceClient.Pushed p : pushed) {
            p.receipts().forEach((id, receipt) -> {
                if (!id.matches("[A-Za-z0-9._-]{1,64}") || !receipt.matches("[A-Za-z0-9_-]{1,64}")) {
                    throw new IllegalArgumentException("Not a message id and receipt token from a deliver event");
                }
                entries.add("{\"id\":\"" + id + "\",\"receipt\":\"" + receipt + "\"}");
            });
        }
        java.util.List<String> frames = new java.util.ArrayList<>();
        for (int i = 0; i < entries.size(); i += RECEIPTS_PER_FRAME) {
            frames.add("{\"type\":\"delivered\",\"messages\":["
                    + String.join(",", entries.subList(i, Math.min(entries.size(), i + RECEIPTS_PER_FRAME))) + "]}");
        }
        return frames;
    }

    /** One text frame; the JDK's WebSocket takes one send at a time. */
    synchronized void sendFrame(String frame) {
        socket.sendText(frame, true).orTimeout(15, TimeUnit.SECONDS).join();
    }

    /** Completes when the server closes the stream (or fails with the error that ended it). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        socket.abort();
    }
}
