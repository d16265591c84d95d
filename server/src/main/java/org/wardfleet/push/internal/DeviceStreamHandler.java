package org.wardfleet.push.internal;

import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.wardfleet.platform.security.DeviceAuthentication;
import org.wardfleet.platform.security.DevicePrincipal;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /device/v1/stream}: one WebSocket per device, authenticated on the upgrade request like any device call
 * (mutual TLS or a device JWT for {@code GET /device/v1/stream}). The server sends small JSON events
 * ({@code hello}, {@code ping}, {@code sync}) and never content a lost phone could leak; what the device then fetches
 * goes through the normal authenticated endpoints. Messaging will use the same stream.
 */
@Component
class DeviceStreamHandler implements WebSocketHandler {

    static final String PATH = "/device/v1/stream";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** RFC 6455 7.4.1 "try again later" (registered code 1013). */
    private static final CloseStatus OVERLOADED = new CloseStatus(1013, "Too many streams on this instance");

    private final StreamConnections connections;
    private final Presence presence;
    private final PushProperties properties;

    DeviceStreamHandler(StreamConnections connections, Presence presence, PushProperties properties) {
        this.connections = connections;
        this.presence = presence;
        this.properties = properties;
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
                "heartbeatSeconds", properties.streamHeartbeat().toSeconds()));
        return Mono.usingWhen(
                presence.connected(device.orgId(), device.deviceId())
                        .then(Mono.fromSupplier(() -> connections.open(device.deviceId()))),
                sink -> Mono.firstWithSignal(
                        // the device's frames are only read to notice that it went away
                        session.receive().then(),
                        session.send(Flux.concat(Mono.just(hello), sink.asFlux()).map(session::textMessage))),
                sink -> closed(device, sink));
    }

    private Mono<Void> closed(DevicePrincipal device, Sinks.Many<String> sink) {
        connections.closed(device.deviceId(), sink);
        return presence.disconnected(device.deviceId());
    }
}
