package org.wardfleet.messaging;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/** Broadcasts, for the broadcast desk and page recovery: one message to many people, and its live roll-up. */
public interface BroadcastSending {

    /**
     * A broadcast (code blue, major incident, IT outage, drill) to many people at once: one message, one batched
     * fan-out; {@code choices} are the answers offered ("available", "not available"). Returns its id.
     */
    Mono<String> broadcast(String orgId, String senderId, List<String> userIds, String text, Priority priority,
            List<String> choices, boolean drill, String idempotencyKey);

    /** The live roll-up of a broadcast for its sender or a recipient (e.g. the incident lead); empty otherwise. */
    Mono<Rollup> rollup(String orgId, String messageId, String askingUserId);

    record Rollup(int recipients, int delivered, int read, int acknowledged, Map<String, Integer> choices,
            List<String> pending, boolean drill) {
    }
}
