package org.wardfleet.device;

import reactor.core.publisher.Mono;

/**
 * Gets a device that has a new remote action to contact the server now rather than at its next check-in. The push
 * feature implements it (device cannot depend on push, which depends on device). It sends only a wake-up without
 * content; the device then fetches the action over its authenticated channel, and that fetch — not the wake-up — is
 * what marks the action delivered.
 */
public interface ActionWakeUp {

    /** Wakes {@code device}; says how, or why it could not (the action then waits for the next check-in). */
    Mono<Outcome> wake(Device device);

    /** How a device was woken: over its stream (connected to some instance), by FCM, or not at all. */
    enum Channel { STREAM, PUSH, NONE }

    /** @param reason why nothing could wake the device (e.g. {@code no-push-token}); null when it was woken */
    record Outcome(Channel via, String reason) {

        public static Outcome none(String reason) {
            return new Outcome(Channel.NONE, reason);
        }
    }
}
