package org.wardfleet.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Words and times as pages show them, available to every template as {@code fmt}. Times are written in UTC with the
 * exact instant in {@code datetime}; console.js shows them in the reader's own time zone.
 */
public final class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.UK)
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    ConsoleFormat(Clock clock) {
        this.clock = clock;
    }

    public String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    public String iso(Instant at) {
        return at == null ? "" : at.toString();
    }

    /** "4 min ago", "3 days ago", "in 2 days". */
    public String ago(Instant at) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, clock.instant());
        boolean future = d.isNegative();
        d = d.abs();
        String span = d.toMinutes() < 1 ? "moments" : d.toMinutes() < 60 ? d.toMinutes() + " min"
                : d.toHours() < 48 ? d.toHours() + " h" : d.toDays() + " days";
        return span.equals("moments") ? (future ? "in a moment" : "just now") : future ? "in " + span : span + " ago";
    }

    /** An enum or wire word as people read it: {@code SELECTIVE_WIPE} → "Selective wipe". */
    public String words(Object value) {
        if (value == null) {
            return "—";
        }
        String text = value.toString().replace('_', ' ').replace('-', ' ').replace('.', ' ').toLowerCase(Locale.ROOT);
        return switch (text) {
            case "byod" -> "BYOD";
            case "cope" -> "COPE";
            case "ios" -> "iOS";
            case "android" -> "Android";
            default -> Character.toUpperCase(text.charAt(0)) + text.substring(1);
        };
    }

    /** A policy value as people read it: Yes/No, lists joined, everything else as written. */
    public String value(Object value) {
        if (value instanceof Boolean b) {
            return b ? "Yes" : "No";
        }
        if (value instanceof java.util.Collection<?> list) {
            boolean structured = list.stream().anyMatch(v -> v instanceof java.util.Map<?, ?>);
            return list.isEmpty() ? "none" : String.join(structured ? "; " : ", ", list.stream().map(this::value)
                    .toList());
        }
        if (value instanceof java.util.Map<?, ?> map) {
            return String.join(", ", map.entrySet().stream().map(e -> e.getKey() + " " + value(e.getValue()))
                    .toList());
        }
        return value == null ? "—" : value.toString();
    }

    /** A compliance reason ({@code {"code":"OS_OUTDATED", ...}}) as words, with its details. */
    public String reason(java.util.Map<String, Object> reason) {
        StringBuilder text = new StringBuilder(words(reason.get("code")));
        reason.forEach((key, value) -> {
            if (!"code".equals(key)) {
                text.append(text.indexOf("(") < 0 ? " (" : ", ").append(key).append(": ").append(value);
            }
        });
        return text.indexOf("(") < 0 ? text.toString() : text.append(')').toString();
    }

    /** The badge class for a state word: good, bad, warn or neutral (each badge also says its word). */
    public String tone(Object value) {
        String v = value == null ? "" : value.toString();
        return switch (v) {
            case "ACTIVE", "COMPLIANT", "GOOD", "OPEN", "DONE", "ACKNOWLEDGED_BY_DEVICE" -> "good";
            case "NON_COMPLIANT", "REVOKED", "FAILED", "WIPED", "NOT_DELIVERED" -> "bad";
            case "QUARANTINED", "UNKNOWN", "WAITING", "PENDING", "DELIVERED", "DELIVERED_TO_DEVICE" -> "warn";
            default -> "neutral";
        };
    }
}
