package org.wardfleet.platform.web;

import java.util.List;
import java.util.Map;

/**
 * One page of a list: {@code page} from 0, {@code size} items, at most what the list allows (a list is never read
 * whole by one request). Out of range is a {@code validation-failed} problem naming the parameter.
 */
public record PageRequest(int page, int size) {

    /** The usual bound of a list's page size. */
    public static final int MAX_SIZE = 200;

    public static PageRequest of(int page, int size, int maxSize) {
        if (page < 0) {
            throw invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > maxSize) {
            throw invalid("size", "must be 1 to " + maxSize);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw invalid("page", "is too far");
        }
        return new PageRequest(page, size);
    }

    public static PageRequest of(int page, int size) {
        return of(page, size, MAX_SIZE);
    }

    /** How many items come before this page. */
    public int skip() {
        return page * size;
    }

    /** A list filter taken from the query string, one of {@code allowed} (upper case as written here), or null. */
    public static String oneOf(String name, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String normalized = value.trim().toUpperCase(java.util.Locale.ROOT);
        if (!allowed.contains(normalized)) {
            throw ProblemType.VALIDATION_FAILED.exception("%s must be one of %s", name, String.join(", ", allowed))
                    .with("errors", List.of(Map.of("path", name, "message", "must be one of "
                            + String.join(", ", allowed), "allowed", allowed)));
        }
        return normalized;
    }

    private static ProblemException invalid(String path, String message) {
        return ProblemType.VALIDATION_FAILED.exception("%s %s", path, message)
                .with("errors", List.of(Map.of("path", path, "message", message)));
    }
}
