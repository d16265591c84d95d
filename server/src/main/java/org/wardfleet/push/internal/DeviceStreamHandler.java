package org.wardfleet.push.internal;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.wardfleet.platform.security.DeviceAuthentication;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.push.DeviceStreamRequest;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /device/v1/stream}: one WebSocket per device, authenticated on the upgrade request like any device call
 * (mutual TLS or a device JWT for {@code GET /device/v1/stream}). The server sends small JSON events
 * ({@code hello}, {@code ping}, {@code sync}) — wake-ups, never content — and, to a stream the device subscribed to a
 * topic ({@code {"type":"subscribe","topics":["messages"]}}, built in here), content another feature encrypted for
 * that device ({@link org.wardfleet.push.StreamDelivery}). The device may also send requests as text
 * frames ({@code {"type":"fetch",...,"id"?}}, see {@link DeviceStreamRequest}): each is answered on the stream, in
 * order, one at a time, at most {@code MAX_FRAME} characters and {@code MAX_PER_SECOND} a second; a bad one gets an
 * {@code error} event (its problem type and the request's {@code id}) and the stream stays open — except a flood
 * (closed, 1008) and a credential that changed since the upgrade (an {@code unauthenticated} error, then closed).
 */
@Component
class DeviceStreamHandler implements WebSocketHandler {

    static final String PATH = "/device/v1/stream";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** RFC 6455 7.4.1 "try again later" (registered code 1013). */
    private static final CloseStatus OVERLOADED = new CloseStatus(1013, "Too many streams on this instance");

    static final int MAX_FRAME = 4096;
    /**
     * Frames taken from the connection ahead of the one being answered: requests are answered one at a time anyway,
     * and the default (32) gave every idle stream two 32-slot queues (issue 24, heap per idle connected device).
     */
    private static final int ONE_AT_A_TIME = 1;
    static final int MAX_PER_SECOND = 10;
    /** Stream requests served at once on this instance (the rest wait their turn, in order). */
    static final int MAX_CONCURRENT = 1000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeviceStreamHandler.class);

    private final StreamConnections connections;
    private final Presence presence;
    private final PushProperties properties;
    private final Map<String, DeviceStreamRequest> requests;
    private final RequestGate gate = new RequestGate(MAX_CONCURRENT);
    /** Every request type a stream answers, in order (the features' and the built-in {@code subscribe}). */
    private final List<String> served;

    DeviceStreamHandler(StreamConnections connections, Presence presence, PushProperties properties,
            List<DeviceStreamRequest> requests) {
        this.connections = connections;
        this.presence = presence;
        this.properties = properties;
        this.requests = requests.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                DeviceStreamRequest::type, r -> r));
        java.util.TreeSet<String> types = new java.util.TreeSet<>(this.requests.keySet());
        types.add(SUBSCRIBE);
        this.served = List.copyOf(types);
    }

    static String event(Map<String, Object> fields) {
        return JSON.writeValueAsString(fields);
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return session.getHandshakeInfo().getPrincipal()
                .filter(DeviceAuthentication.class::isInstance)
                .map(p -> ((DeviceAuthentication) p).getPrincipal())
                .flatMap(device -> connections.size() >= properties.maxStreamConnections()
                        ? session.close(OVERLOADED)
                        : serve(session, device))
                .switchIfEmpty(Mono.defer(() -> session.close(CloseStatus.POLICY_VIOLATION)));
    }

    private Mono<Void> serve(WebSocketSession session, DevicePrincipal device) {
        String hello = event(Map.of("type", "hello", "deviceId", device.deviceId(),
                "heartbeatSeconds", properties.streamHeartbeat().toSeconds(),
                "requests", served, "topics", List.copyOf(new java.util.TreeSet<>(TOPICS))));
        return Mono.usingWhen(
                presence.connected(device.orgId(), device.deviceId())
                        .then(Mono.fromSupplier(() -> connections.open(device))),
                held -> {
                    Sinks.Many<String> sink = held.sink();
                    RateWindow rate = new RateWindow();
                    return Mono.firstWithSignal(
                            // requests in order, one at a time; the receive side ending means the device went away
                            session.receive().map(WebSocketMessage::getPayloadAsText)
                                    .concatMap(frame -> rate.allow(System.nanoTime()) ? answer(device, held, frame)
                                            // far over the limit: no more answers, the stream ends
                                            : rate.abusive() ? Mono.<Answer>error(new TooManyRequests())
                                            : Mono.just(new Answer(error(requestId(frame), ProblemType.RATE_LIMITED,
                                                    "At most " + MAX_PER_SECOND + " requests a second on a stream"),
                                                    false)), ONE_AT_A_TIME)
                                    .concatMap(answer -> StreamConnections.emit(sink, answer.event()) && !answer.last()
                                            ? Mono.empty()
                                            // the answer could not be queued (the device is not reading), or it
                                            // was the last one (credential changed): end the stream
                                            : Mono.fromRunnable(() -> StreamConnections.complete(sink)), ONE_AT_A_TIME)
                                    .onErrorResume(TooManyRequests.class, e -> session.close(TOO_MANY))
                                    .then(),
                            session.send(Flux.concat(Mono.just(hello), sink.asFlux()).map(session::textMessage)));
                },
                held -> closed(device, held.sink()));
    }

    /** The built-in request that subscribes a stream to topics: {@code {"type":"subscribe","topics":["messages"]}}. */
    static final String SUBSCRIBE = "subscribe";
    /**
     * Topics a device may take on its stream. {@code messages}: new messages arrive as {@code deliver} events, each
     * already encrypted for this device (see {@link org.wardfleet.push.StreamDelivery}), instead of a {@code sync}.
     */
    static final java.util.Set<String> TOPICS = java.util.Set.of(org.wardfleet.push.StreamDelivery.MESSAGES);

    /** Adds the topics named to this stream's subscriptions; an unknown topic refuses the whole frame. */
    private static Answer subscribe(StreamConnections.Held held, String requestId, Map<String, Object> request) {
        if (!(request.get("topics") instanceof List<?> topics) || topics.isEmpty() || topics.size() > TOPICS.size()
                || !topics.stream().allMatch(t -> t instanceof String topic && TOPICS.contains(topic))) {
            return new Answer(error(requestId, ProblemType.VALIDATION_FAILED, "topics is a list of " + TOPICS), false);
        }
        topics.forEach(t -> held.topics().add((String) t));
        return reply(Map.of("type", "subscribed", "topics", List.copyOf(new java.util.TreeSet<>(held.topics()))),
                requestId);
    }

    /** An answer event, echoing the request's id when it had one. */
    private static Answer reply(Map<String, Object> answer, String requestId) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        if (answer.containsKey("type")) {
            event.put("type", answer.get("type")); // first: devices tell events apart by their start
        }
        event.putAll(answer);
        if (requestId != null) {
            event.put("id", requestId);
        }
        return new Answer(event(event), false);
    }

    /** An event to send back; {@code last}: the stream ends after it. */
    record Answer(String event, boolean last) {
    }

    private static final class TooManyRequests extends RuntimeException {
        TooManyRequests() {
            super("too many stream requests", null, false, false);
        }
    }

    /** RFC 6455 7.4.1: policy violation — far over the request rate. */
    private static final CloseStatus TOO_MANY = new CloseStatus(1008, "Too many requests");

    /** The request id of a frame, when it has a readable one (for error events about it). */
    private static String requestId(String frame) {
        if (frame.length() > MAX_FRAME) {
            return null;
        }
        try {
            return requestId((Map<?, ?>) JSON.readValue(frame, Map.class));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A request's {@code id} to echo back: a string of at most 64 characters, else none. */
    private static String requestId(Map<?, ?> request) {
        return request != null && request.get("id") instanceof String s && s.length() <= 64 ? s : null;
    }

    /**
     * The answer event to one frame from the device (an {@code error} event for a bad one, never a thrown error). An
     * {@code unauthenticated} refusal (the device's credential changed since the stream opened) is the stream's last.
     */
    Mono<Answer> answer(DevicePrincipal device, StreamConnections.Held held, String frame) {
        if (frame.length() > MAX_FRAME) {
            return Mono.just(new Answer(error(null, ProblemType.PAYLOAD_TOO_LARGE, "A request frame is at most "
                    + MAX_FRAME + " characters"), false));
        }
        Map<String, Object> request;
        try {
            request = JSON.readValue(frame, new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (RuntimeException e) {
            request = null;
        }
        if (request == null) {
            return Mono.just(new Answer(error(null, ProblemType.MALFORMED_REQUEST, "A request frame is a JSON object"),
                    false));
        }
        String requestId = requestId(request);
        if (SUBSCRIBE.equals(request.get("type"))) {
            return Mono.just(subscribe(held, requestId, request));
        }
        DeviceStreamRequest handler = request.get("type") instanceof String type ? requests.get(type) : null;
        if (handler == null) {
            return Mono.just(new Answer(error(requestId, ProblemType.NOT_FOUND,
                    "Unknown request type; this stream serves " + served), false));
        }
        Map<String, Object> parsed = request;
        return gate.run(Mono.defer(() -> handler.handle(device, parsed)))
                .map(answer -> reply(answer, requestId))
                .onErrorResume(ProblemException.class, e -> Mono.just(new Answer(error(requestId, e.problemType(),
                        e.getBody().getDetail()), e.problemType().equals(ProblemType.UNAUTHENTICATED))))
                .onErrorResume(e -> {
                    LOG.warn("Stream request {} from a device failed: {}", handler.type(), e.toString());
                    return Mono.just(new Answer(error(requestId, ProblemType.UNAVAILABLE,
                            "Try again, or use the HTTP API"), false));
                });
    }

    private static String error(String requestId, ProblemType problem, String detail) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("type", "error");
        if (requestId != null) {
            event.put("id", requestId);
        }
        event.put("problem", problem.type().toString());
        event.put("detail", detail);
        return event(event);
    }

    /**
     * Every frame counts, whatever it holds: at most {@link #MAX_PER_SECOND} are answered in each one-second window
     * (fixed windows, starting at the first frame), the next ones up to twice that get a {@code rate-limited} error
     * event, and beyond that the stream is closed (1008) — a flooding device cannot make the server queue answers.
     */
    static final class RateWindow {
        private boolean started;
        private long windowStart;
        private int count;

        synchronized boolean allow(long nanos) {
            if (!started || nanos - windowStart >= 1_000_000_000L) {
                started = true;
                windowStart = nanos;
                count = 0;
            }
            return ++count <= MAX_PER_SECOND;
        }

        synchronized boolean abusive() {
            return count > 2 * MAX_PER_SECOND;
        }
    }

    private Mono<Void> closed(DevicePrincipal device, Sinks.Many<String> sink) {
        connections.closed(device.deviceId(), sink);
        return presence.disconnected(device.deviceId());
    }
}
