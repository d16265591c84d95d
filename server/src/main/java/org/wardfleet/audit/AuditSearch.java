package org.wardfleet.audit;

import java.time.Instant;

/**
 * Filters and paging of an audit search. Text filters match exactly ({@code actor}: the actor's id, e.g. a user id or
 * a device id; {@code action}: e.g. {@code device.action}; {@code target}: e.g. a device id); blank means any.
 * {@code from} and {@code to} are inclusive.
 */
public record AuditSearch(String actor, String action, String target, Instant from, Instant to, int page, int size) {

    public static final int MAX_SIZE = 200;
    /** Longer than any id or action name: a longer filter cannot match and is refused. */
    public static final int MAX_TEXT = 200;

    public AuditSearch {
        actor = blankToNull(actor);
        action = blankToNull(action);
        target = blankToNull(target);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
