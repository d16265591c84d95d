package org.wardfleet.push.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Sinks;

/** The streams open on this instance: device id → the sink its WebSocket session sends from. */
@Component
class StreamConnections {

    /**
     * A stream held here: whose, authenticated with which certificate, the sink its session sends from, and the
     * topics the device subscribed to on it (content it takes on the stream itself, e.g. {@code messages}).
     */
    record Held(String deviceId, String orgId, String certificateSerial, Sinks.Many<String> sink,
            Set<String> topics) {

        boolean subscribed(String topic) {
            return topics.contains(topic);
        }
    }

    private final Map<String, Held> open = new ConcurrentHashMap<>();

    /** A newer connection from the same device replaces the older one (which is completed and closes). */
    Held open(org.wardfleet.platform.security.DevicePrincipal device) {
        // a queue that grows in small links as events wait, bounded in emit(): an idle stream, which most are,
        // holds one small link instead of a 256-slot array allocated up front (issue 24, heap per idle device)
        Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer(
                reactor.util.concurrent.Queues.<String>unbounded(QUEUE_LINK).get());
        Held held = new Held(device.deviceId(), device.orgId(), device.certificateSerial(), sink,
                new java.util.concurrent.CopyOnWriteArraySet<>());
        Held previous = open.put(device.deviceId(), held);
        if (previous != null) {
            complete(previous.sink());
        }
        return held;
    }

    /** The stream held here for this device, if any. */
    Held get(String deviceId) {
        return open.get(deviceId);
    }

    /** Every stream held here. */
    java.util.Collection<Held> held() {
        return java.util.List.copyOf(open.values());
    }

    /** Ends the device's stream here if it is still this one. */
    void end(Held held) {
        if (open.remove(held.deviceId(), held)) {
            complete(held.sink());
        }
    }

    /** Events waiting for one slow (or not reading) device before its stream is closed: memory stays bounded. */
    static final int MAX_QUEUED = 256;
    private static final int QUEUE_LINK = 8;

    /** Ends a stream (its session then closes). */
    static void complete(Sinks.Many<String> sink) {
        synchronized (sink) {
            sink.tryEmitComplete();
        }
    }

    void closed(String deviceId, Sinks.Many<String> sink) {
        open.computeIfPresent(deviceId, (id, held) -> held.sink() == sink ? null : held);
    }

    /** False when the device has no stream here, or its buffer refused the event. */
    boolean send(String deviceId, String event) {
        Held held = open.get(deviceId);
        return held != null && send(held, event);
    }

    /** As {@link #send(String, String)} on a stream already looked up. */
    static boolean send(Held held, String event) {
        Sinks.Many<String> sink = held.sink();
        if (emit(sink, event)) {
            return true;
        }
        complete(sink); // full: the device has not read its stream for a long time; it reconnects and catches up
        return false;
    }

    /**
     * Emits into a stream's sink. Wake-ups (from any thread) and answers to the device's requests share it, and a
     * sink takes one emitter at a time: emitters are serialized here rather than racing (a lost race would drop the
     * event). False when the stream is over or its bounded buffer is full (a device not reading): the caller ends it.
     */
    static boolean emit(Sinks.Many<String> sink, String event) {
        synchronized (sink) {
            Integer queued = reactor.core.Scannable.from(sink).scan(reactor.core.Scannable.Attr.BUFFERED);
            if (queued != null && queued >= MAX_QUEUED) {
                return false;
            }
            return sink.tryEmitNext(event).isSuccess();
        }
    }

    Set<String> deviceIds() {
        return Set.copyOf(open.keySet());
    }

    int size() {
        return open.size();
    }
}
