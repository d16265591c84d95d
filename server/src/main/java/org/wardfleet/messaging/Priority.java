package org.wardfleet.messaging;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.wardfleet.platform.web.ProblemType;

/**
 * How urgent a message is: ROUTINE (no alert, no escalation), URGENT, STAT (the loudest: pages, notices, broadcasts of
 * a code blue). The word is what clients send and what storage keeps; inside Wardfleet it is this type.
 */
public enum Priority {
    ROUTINE, URGENT, STAT;

    /** The words clients may send, lowest first. */
    public static final List<String> WORDS = Arrays.stream(values()).map(Enum::name).toList();

    /** Why a word is refused, as the {@code errors[].message} of a {@code validation-failed} problem. */
    public static final String NOT_A_PRIORITY = "must be one of " + WORDS;

    /**
     * The priority a request names ({@code field} is its path in the request, for the refusal): refused as
     * {@code validation-failed}, like any other invalid field, when it is not one of {@link #WORDS}. A request body
     * checks its priority with {@link PriorityWord} instead, together with its other fields.
     */
    public static Priority parse(String word, String field) {
        if (known(word)) {
            return valueOf(word);
        }
        throw ProblemType.VALIDATION_FAILED.exception("The request has invalid fields")
                .with("errors", List.of(Map.of("path", field, "message", NOT_A_PRIORITY)));
    }

    /** Whether {@code word} names a priority (exactly, upper case). */
    public static boolean known(String word) {
        return word != null && WORDS.contains(word);
    }

    /** As stored (written by Wardfleet, so always a known word); null stays null. */
    public static Priority stored(String word) {
        return word == null ? null : valueOf(word);
    }

    /** A message at this priority raises an alert on open screens and wakes devices loudly. */
    public boolean alerts() {
        return this != ROUTINE;
    }

    /** Where a message waiting for an answer sorts: STAT before URGENT before ROUTINE. */
    public int rank() {
        return ordinal();
    }
}
