package org.wardfleet.messaging.internal;

import java.util.List;

import org.wardfleet.messaging.Priority;

/** What a sender writes: the text and how it is to be treated; {@code choices}: the answers offered. */
record Draft(String text, Priority priority, boolean requiresAck, String patientRef, String replyTo, boolean drill,
        List<String> choices) {

    Draft(String text, Priority priority, boolean requiresAck, String patientRef, String replyTo) {
        this(text, priority, requiresAck, patientRef, replyTo, false, List.of());
    }

    /** A page: requires acknowledgement, maybe with answers to choose from. */
    static Draft page(String text, Priority priority, List<String> choices, boolean drill) {
        return new Draft(text, priority, true, null, null, drill, choices == null ? List.of() : List.copyOf(choices));
    }
}
