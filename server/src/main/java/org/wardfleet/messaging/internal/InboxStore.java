package org.wardfleet.messaging.internal;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Each device's inbox: the messages queued for it, ordered by a per-organisation sequence that is the device's fetch
 * cursor, and the history of what was ever queued for which device (what a device's receipt is checked against).
 */
interface InboxStore {

    /** Reserves {@code count} sequence numbers for an organisation; returns the first. */
    Mono<Long> reserve(String orgId, int count);

    /** Queues the batch: the history first, so an inbox entry never exists without it; idempotent per device. */
    Mono<Void> deliver(String orgId, List<Delivery> batch);

    /** The device's deliveries after its cursor, oldest first (what is at or before the cursor is dropped). */
    Flux<Delivery> inbox(String orgId, String deviceId, long after, int limit);

    /** Whether the message was ever queued for this device. */
    Mono<Boolean> delivered(String orgId, String messageId, String deviceId);
}
