package org.wardfleet.push.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.wardfleet.push.StreamDelivery;

import reactor.core.publisher.Mono;

/**
 * {@link StreamDelivery}: streams held here are sent to directly ({@link StreamConnections}); a stream another instance
 * holds ({@link Presence}) gets its copy through {@code device_signals}, and that instance makes the same checks before
 * sending it ({@link #deliverHere}).
 */
@Component
class AnyInstanceStreamDelivery implements StreamDelivery {

    private final StreamConnections connections;
    private final Presence presence;
    private final StreamSignals signals;

    AnyInstanceStreamDelivery(StreamConnections connections, Presence presence, StreamSignals signals) {
        this.connections = connections;
        this.presence = presence;
        this.signals = signals;
    }

    @Override
    public Set<String> subscribedHere(String orgId, String topic, Map<String, String> devices) {
        Set<String> here = new LinkedHashSet<>();
        devices.forEach((deviceId, serial) -> {
            if (ready(connections.get(deviceId), orgId, topic, serial)) {
                here.add(deviceId);
            }
        });
        return here;
    }

    @Override
    public Set<String> send(String orgId, String topic, Map<String, Copy> copies) {
        Set<String> sent = new LinkedHashSet<>();
        copies.forEach((deviceId, copy) -> {
            StreamConnections.Held held = connections.get(deviceId);
            if (ready(held, orgId, topic, copy.certificateSerial())
                    && StreamConnections.send(held, DeviceStreamHandler.event(copy.event()))) {
                sent.add(deviceId);
            }
        });
        return sent;
    }

    @Override
    public Mono<Set<String>> reachable(String orgId, String topic, Map<String, String> devices) {
        Set<String> here = subscribedHere(orgId, topic, devices);
        List<String> elsewhere = devices.keySet().stream().filter(id -> !here.contains(id)).toList();
        if (elsewhere.isEmpty()) {
            return Mono.just(here);
        }
        return presence.holders(orgId, elsewhere).map(holders -> {
            Set<String> reachable = new LinkedHashSet<>(here);
            holders.forEach((deviceId, instance) -> {
                if (!instance.equals(presence.instanceId)) {
                    reachable.add(deviceId);
                }
            });
            return reachable;
        });
    }

    @Override
    public Mono<Set<String>> deliver(String orgId, String topic, Map<String, Copy> copies) {
        Set<String> sent = send(orgId, topic, copies);
        Map<String, Copy> rest = new LinkedHashMap<>(copies);
        rest.keySet().removeAll(sent);
        if (rest.isEmpty()) {
            return Mono.just(sent);
        }
        return presence.holders(orgId, rest.keySet()).flatMap(holders -> {
            List<StreamSignals.Signal> remote = new ArrayList<>();
            Set<String> all = new LinkedHashSet<>(sent);
            holders.forEach((deviceId, instance) -> {
                if (!instance.equals(presence.instanceId)) {
                    Copy copy = rest.get(deviceId);
                    remote.add(new StreamSignals.Signal(orgId, deviceId, instance,
                            DeviceStreamHandler.event(copy.event()), topic, copy.certificateSerial()));
                    all.add(deviceId);
                }
            });
            return signals.send(remote).thenReturn(all);
        });
    }

    /**
     * A signal addressed to this instance: a wake-up goes to the device's stream; content only to a stream of that
     * organisation's device, subscribed to the topic and opened with the certificate the copy names — a stream that
     * is here but not subscribed (or renewed since) is woken instead, so its device fetches.
     */
    static void deliverHere(StreamConnections connections, StreamSignals.Signal signal) {
        StreamConnections.Held held = connections.get(signal.deviceId());
        if (held == null) {
            return; // gone since: the device fetches what it missed when it reconnects
        }
        if (signal.topic() == null) {
            StreamConnections.send(held, signal.event());
        } else if (ready(held, signal.orgId(), signal.topic(), signal.certificateSerial())) {
            StreamConnections.send(held, signal.event());
        } else if (held.orgId().equals(signal.orgId())) {
            StreamConnections.send(held, DeviceStreamHandler.event(Map.of("type", "sync", "reason",
                    MESSAGES.equals(signal.topic()) ? "message" : signal.topic())));
        }
    }

    /** The stream is this organisation's device's, subscribed, and opened with the certificate named. */
    private static boolean ready(StreamConnections.Held held, String orgId, String topic, String serial) {
        return held != null && held.orgId().equals(orgId) && held.subscribed(topic) && serial != null
                && serial.equals(held.certificateSerial());
    }
}
