package org.wardfleet.oncall.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;

/**
 * Every date, zone and duration an on-call request carries is bounded before it is stored or computed with: a rota
 * starting in the year 999,999,999 was once accepted and then made every rota computation of its organisation fail.
 * Dates lie in the years {@value #MIN_YEAR}–{@value #MAX_YEAR}; a refusal names the field
 * ({@code errors[].path}), as bean validation does.
 */
final class InputBounds {

    static final int MIN_YEAR = 2000;
    static final int MAX_YEAR = 2100;
    static final Instant EARLIEST = LocalDateTime.of(MIN_YEAR, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    static final Instant LATEST = LocalDateTime.of(MAX_YEAR + 1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);

    private InputBounds() {
    }

    /** A validation problem naming the field at fault. */
    static ProblemException invalid(String path, String message) {
        return ProblemType.VALIDATION_FAILED.exception("%s: %s", path, message)
                .with("errors", List.of(Map.of("path", path, "message", message)));
    }

    static LocalDateTime local(String path, LocalDateTime value) {
        if (value.getYear() < MIN_YEAR || value.getYear() > MAX_YEAR) {
            throw invalid(path, "must be in the years " + MIN_YEAR + " to " + MAX_YEAR);
        }
        return value;
    }

    /** Null stays null (the caller's default applies). */
    static Instant instant(String path, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || !value.isBefore(LATEST))) {
            throw invalid(path, "must be in the years " + MIN_YEAR + " to " + MAX_YEAR);
        }
        return value;
    }

    /** A window asked of a role: [from, to), each bounded, {@code from} default now, at most {@code max} long. */
    record Window(Instant from, Instant to) {
    }

    static Window window(Instant from, Instant to, Instant now, java.time.Duration defaultLength,
            java.time.Duration max) {
        Instant start = from == null ? now : instant("from", from);
        Instant end = to == null ? start.plus(defaultLength) : instant("to", to);
        if (!end.isAfter(start) || java.time.Duration.between(start, end).compareTo(max) > 0) {
            throw ProblemType.VALIDATION_FAILED.exception("from < to, at most %d days", max.toDays());
        }
        return new Window(start, end);
    }

    static ZoneId zone(String path, String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw invalid(path, "must be an IANA time zone such as Europe/London");
        }
    }

    /** A shift length (see {@link Rota#parse}). */
    static String shift(String path, String shift) {
        try {
            Rota.parse(shift);
            return shift;
        } catch (IllegalArgumentException e) {
            throw invalid(path, e.getMessage());
        }
    }
}
