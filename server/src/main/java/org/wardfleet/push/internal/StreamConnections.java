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
        return sink != null && emit(sink, event);
    }

    /**
     * Emits into a stream's sink. Wake-ups (from any thread) and answers to the device's requests share it, and a
     * sink takes one emitter at a time: a concurrent emission is retried briefly instead of being lost.
     */
    static boolean emit(Sinks.Many<String> sink, String event) {
        for (int spins = 0; spins < 10_000; spins++) {
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result != Sinks.EmitResult.FAIL_NON_SERIALIZED) {
                return result.isSuccess();
            }
            Thread.onSpinWait();
        }
        return false;
    }

    Set<String> deviceIds() {
        return Set.copyOf(open.keySet());
    }

    int size() {
        return open.size();
    }
}
