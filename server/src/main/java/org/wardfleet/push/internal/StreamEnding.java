package org.wardfleet.push.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.wardfleet.device.DeviceCredentialReplaced;
import org.wardfleet.device.DeviceRetired;

import reactor.core.publisher.Mono;

/**
 * Ends a device's stream the moment its credential ends: on {@link DeviceRetired} whatever stream it has, on
 * {@link DeviceCredentialReplaced} a stream opened with another certificate than the new one (a stream the device
 * reopened with the new one stays). Here at once; on the instance {@code device_presence} names as the holder through
 * a {@code stream-end} signal in {@code device_signals}, which that instance's signal watch hands to
 * {@link #received}. {@link StreamMaintenance#endRevoked} sweeps slowly behind it for an event lost to a crash.
 */
@Component
class StreamEnding {

    private static final Logger log = LoggerFactory.getLogger(StreamEnding.class);

    /** A signal's event that ends a stream rather than being sent on it; {@code keep}: the serial that stays. */
    static final String END = "stream-end";
    private static final String END_PREFIX = "{\"type\":\"" + END + "\"";
    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private final StreamConnections connections;
    private final Presence presence;
    private final StreamSignals signals;

    StreamEnding(StreamConnections connections, Presence presence, StreamSignals signals) {
        this.connections = connections;
        this.presence = presence;
        this.signals = signals;
    }

    @EventListener
    Mono<Void> on(DeviceRetired retired) {
        return end(retired.orgId(), retired.deviceId(), null);
    }

    @EventListener
    Mono<Void> on(DeviceCredentialReplaced replaced) {
        return end(replaced.orgId(), replaced.deviceId(), replaced.certificateSerial());
    }

    /** True when the signal was a {@code stream-end} (and the stream here ended if it matched): not for the device. */
    boolean received(StreamSignals.Signal signal) {
        if (!signal.event().startsWith(END_PREFIX)) {
            return false;
        }
        try {
            Object keep = JSON.readValue(signal.event(), Map.class).get("keep");
            endHere(signal.orgId(), signal.deviceId(), keep == null ? null : keep.toString());
        } catch (tools.jackson.core.JacksonException unreadable) {
            log.warn("Ignoring an unreadable stream-end signal for device {}", signal.deviceId());
        }
        return true;
    }

    private Mono<Void> end(String orgId, String deviceId, String keep) {
        endHere(orgId, deviceId, keep);
        return presence.holders(orgId, List.of(deviceId))
                .flatMap(holders -> {
                    String holder = holders.get(deviceId);
                    if (holder == null || holder.equals(presence.instanceId)) {
                        return Mono.<Void>empty();
                    }
                    return signals.send(List.of(new StreamSignals.Signal(orgId, deviceId, holder, signal(keep))));
                })
                .onErrorResume(e -> {
                    log.warn("Ending device {}'s stream elsewhere failed; the revocation sweep will: {}", deviceId,
                            e.toString());
                    return Mono.empty();
                });
    }

    private void endHere(String orgId, String deviceId, String keep) {
        StreamConnections.Held held = connections.get(deviceId);
        if (held != null && held.orgId().equals(orgId) && (keep == null || !keep.equals(held.certificateSerial()))) {
            connections.end(held);
        }
    }

    static String signal(String keep) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", END);
        if (keep != null) {
            event.put("keep", keep);
        }
        return DeviceStreamHandler.event(event);
    }
}
