package org.wardfleet.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.wardfleet.audit.AuditSearch;

/**
 * The audit search as the URL carries it ({@code /console/audit?action=device.action&from=2026-12-01T08:00&page=2}),
 * so a search can be bookmarked and handed to a colleague. Times are UTC, as the form's inputs say; a time that cannot
 * be read is dropped and named ({@link #unreadable}) rather than searched as "any time" in silence.
 */
record AuditFilter(String action, String actor, String target, String from, String to, Integer page) {

    static final int PAGE_SIZE = 50;

    AuditFilter {
        action = blankToNull(action);
        actor = blankToNull(actor);
        target = blankToNull(target);
        from = blankToNull(from);
        to = blankToNull(to);
        page = page == null || page < 0 ? 0 : page;
    }

    AuditSearch search() {
        Instant until = time(to);
        // "to 14:00" means up to the end of that minute
        return new AuditSearch(actor, action, target, time(from), until == null ? null
                : until.plus(59_999, ChronoUnit.MILLIS), page, PAGE_SIZE);
    }

    /** The time fields that are not a date and time, in words, or empty. */
    public String unreadable() {
        String bad = (from != null && time(from) == null ? "From" : "")
                + (to != null && time(to) == null ? (from != null && time(from) == null ? " and To" : "To") : "");
        return bad.isEmpty() ? "" : bad + ": not a date and time, ignored";
    }

    public boolean any() {
        return action != null || actor != null || target != null || from != null || to != null;
    }

    /** This search at another page. */
    public String at(int otherPage) {
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "action", action);
        put(params, "actor", actor);
        put(params, "target", target);
        put(params, "from", from);
        put(params, "to", to);
        put(params, "page", otherPage == 0 ? null : Integer.toString(otherPage));
        return "/console/audit" + (params.isEmpty() ? "" : "?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
