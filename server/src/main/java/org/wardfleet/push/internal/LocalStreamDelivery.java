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

    /** The stream is this organisation's device's, subscribed, and opened with the certificate named. */
    private static boolean ready(StreamConnections.Held held, String orgId, String topic, String serial) {
        return held != null && held.orgId().equals(orgId) && held.subscribed(topic) && serial != null
                && serial.equals(held.certificateSerial());
    }
}
