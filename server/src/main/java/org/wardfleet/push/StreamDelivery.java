package org.wardfleet.push;

import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * Content straight onto device streams, held by this instance or another, for devices that subscribed to a topic on
 * their stream ({@code {"type":"subscribe","topics":["messages"]}}). The caller encrypts each event for its own
 * device; this only queues it. Queued is not delivered: the device's receipt is what proves delivery, and the caller
 * wakes every device left out (it is not connected, not subscribed, or its stream is full).
 */
public interface StreamDelivery {

    /** The topic of messages: new messages arrive on the stream as {@code deliver} events. */
    String MESSAGES = "messages";

    /**
     * Of {@code devices} (device id → the certificate serial the device holds now), those whose stream is on this
     * instance, was opened with that very certificate (not one since renewed or revoked), and is subscribed to
     * {@code topic}.
     */
    Set<String> subscribedHere(String orgId, String topic, Map<String, String> devices);

    /**
     * Queues each device's own copy on its stream here, if that stream is still there, subscribed to {@code topic}
     * and opened with the certificate the copy names (a stream of a device renewed meanwhile gets nothing); returns
     * the device ids it was queued for.
     */
    Set<String> send(String orgId, String topic, Map<String, Copy> copies);

    /**
     * Of {@code devices} (device id → certificate serial), those a copy can be pushed to: {@link #subscribedHere},
     * and those whose stream another instance holds (that instance checks subscription and certificate when the copy
     * arrives, and wakes a stream that cannot take it).
     */
    Mono<Set<String>> reachable(String orgId, String topic, Map<String, String> devices);

    /**
     * Queues each device's copy on its stream here ({@link #send}), or hands it to the instance holding the device's
     * stream (through the change-stream signals); returns the device ids queued or handed on. Still not delivered:
     * the receipt proves that.
     */
    Mono<Set<String>> deliver(String orgId, String topic, Map<String, Copy> copies);

    /** One device's event (a JSON object, its {@code type} chosen by the caller) and the certificate it is for. */
    record Copy(String certificateSerial, Map<String, Object> event) {
    }
}
