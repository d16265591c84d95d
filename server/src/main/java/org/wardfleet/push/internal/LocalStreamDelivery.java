package org.wardfleet.push.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.wardfleet.push.StreamDelivery;

/** {@link StreamDelivery} over the streams this instance holds ({@link StreamConnections}). */
@Component
class LocalStreamDelivery implements StreamDelivery {

    private final StreamConnections connections;

    LocalStreamDelivery(StreamConnections connections) {
        this.connections = connections;
    }

    @Override
    public Set<String> subscribedHere(String orgId, String topic, Map<String, String> devices) {
        Set<String> here = new LinkedHashSet<>();
        devices.forEach((deviceId, serial) -> {
            StreamConnections.Held held = connections.get(deviceId);
            if (held != null && held.orgId().equals(orgId) && held.subscribed(topic)
                    && held.certificateSerial() != null && held.certificateSerial().equals(serial)) {
                here.add(deviceId);
            }
        });
        return here;
    }

    @Override
    public Set<String> send(String orgId, String topic, Map<String, Map<String, Object>> events) {
        Set<String> sent = new LinkedHashSet<>();
        events.forEach((deviceId, event) -> {
            StreamConnections.Held held = connections.get(deviceId);
            if (held != null && held.orgId().equals(orgId) && held.subscribed(topic)
                    && StreamConnections.send(held, DeviceStreamHandler.event(event))) {
                sent.add(deviceId);
            }
        });
        return sent;
    }
}
