package org.wardfleet.messaging;

import java.util.Arrays;
import java.util.List;

/**
 * Where one recipient is with one message, in order: SENT (no device of theirs has proved it has it), DELIVERED,
 * READ, then one answer — ACKNOWLEDGED or DECLINED. A receipt only ever moves a recipient forward, and never from one
 * answer to the other: {@link #canMoveTo}. The word is what clients and storage see.
 */
public enum ReceiptState {
    SENT, DELIVERED, READ, ACKNOWLEDGED, DECLINED;

    /** The forward-only rule: a later state, from a state that is not yet an answer. */
    public boolean canMoveTo(ReceiptState next) {
        return next != null && next.ordinal() > ordinal() && !answered();
    }

    /** The states from which a recipient may move to {@code next} (what a conditional update filters on). */
    public static List<ReceiptState> before(ReceiptState next) {
        return Arrays.stream(values()).filter(s -> s.canMoveTo(next)).toList();
    }

    /** ACKNOWLEDGED or DECLINED: the recipient has answered, nothing moves them any more. */
    public boolean answered() {
        return this == ACKNOWLEDGED || this == DECLINED;
    }

    /** At {@code state} or past it (a DECLINED recipient has read the message). */
    public boolean reached(ReceiptState state) {
        return ordinal() >= state.ordinal();
    }

    /** Not yet read: a sender may still recall the message. */
    public boolean unread() {
        return this == SENT || this == DELIVERED;
    }

    /** The state a request names, or null when it names none of them. */
    public static ReceiptState parse(String word) {
        for (ReceiptState s : values()) {
            if (s.name().equals(word)) {
                return s;
            }
        }
        return null;
    }

    /** As stored (written by Wardfleet, so always a known word); null stays null. */
    public static ReceiptState stored(String word) {
        return word == null ? null : valueOf(word);
    }
}
