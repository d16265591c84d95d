package org.wardfleet.push.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Sinks;

/** The streams open on this instance: device id → the sink its WebSocket session sends from. */
@Component
class StreamConnections {

    private final Map<String, Sinks.Many<String>> open = new ConcurrentHashMap<>();

    /** A newer connection from the same device replaces the older one (which is completed and closes). */
    Sinks.Many<String> open(String deviceId) {
        Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<String> previous = open.put(deviceId, sink);
        if (previous != null) {
            previous.tryEmitComplete();
        }
        return sink;
    }

    void closed(String deviceId, Sinks.Many<String> sink) {
        open.remove(deviceId, sink);
    }

    /** False when the device has no stream here, or its buffer refused the event. */
    boolean send(String deviceId, String event) {
        Sinks.Many<String> sink = open.get(deviceId);
        return sink != null && sink.tryEmitNext(event).isSuccess();
    }

    Set<String> deviceIds() {
        return Set.copyOf(open.keySet());
    }

    int size() {
        return open.size();
    }
}
