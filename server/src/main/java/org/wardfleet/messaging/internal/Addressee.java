package org.wardfleet.messaging.internal;

import java.time.Instant;

import org.wardfleet.messaging.ReceiptState;

/**
 * One person a message is addressed to, with their receipt: its state, when it was reached, the decline reason or
 * the answer chosen, and how many of their devices could receive the message when it was sent.
 */
record Addressee(String userId, ReceiptState state, Instant at, String reason, int eligibleDevices, String choice) {

    Addressee(String userId, ReceiptState state, Instant at, String reason, int eligibleDevices) {
        this(userId, state, at, reason, eligibleDevices, null);
    }

    /** Just addressed: SENT, nothing proved yet. */
    static Addressee sent(String userId, Instant at, int eligibleDevices) {
        return new Addressee(userId, ReceiptState.SENT, at, null, eligibleDevices);
    }

    /** This addressee, DELIVERED at {@code at} (a receipt document applied to what the message holds). */
    Addressee delivered(Instant deliveredAt) {
        return new Addressee(userId, ReceiptState.DELIVERED, deliveredAt, reason, eligibleDevices, choice);
    }
}
