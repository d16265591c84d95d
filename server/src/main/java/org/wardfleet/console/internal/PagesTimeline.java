package org.wardfleet.console.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A page's timeline event ({@code {"event":"ESCALATED","step":1,"recipients":[...],"names":{...}}}) as one line a
 * person reads: what happened, to or by whom (names, as {@code PageHistory} adds them), and the few facts that matter.
 * Events carry metadata only (the page's text is never in them), so nothing here can show a message.
 */
record PagesTimeline(Instant at, String event, String lead, String people, String detail) {

    static PagesTimeline of(Map<String, Object> e) {
        Map<?, ?> names = e.get("names") instanceof Map<?, ?> m ? m : Map.of();
        List<String> people = new ArrayList<>();
        if (e.get("userId") instanceof String id) {
            people.add(name(names, e.get("displayName") instanceof String n ? n : null, id));
        }
        for (String key : List.of("recipients", "told")) {
            if (e.get(key) instanceof Collection<?> ids) {
                ids.forEach(id -> people.add(name(names, null, String.valueOf(id))));
            }
        }
        List<String> facts = new ArrayList<>();
        if (e.get("step") instanceof Number step && !"TRIGGERED".equals(e.get("event"))) {
            facts.add("step " + (step.intValue() + 1));
        }
        if (e.get("round") instanceof Number round && round.intValue() > 0) {
            facts.add("round " + (round.intValue() + 1));
        }
        if (e.get("pager") != null) {
            facts.add("pager " + e.get("pager"));
        }
        if (e.get("code") instanceof Number code && code.intValue() > 0) {
            facts.add("gateway code " + code);
        }
        if (e.get("attempts") != null) {
            facts.add(e.get("attempts") + " attempt(s)");
        }
        if (e.get("skipped") instanceof Collection<?> skipped && !skipped.isEmpty()) {
            facts.add(skipped.size() + " not reached");
        }
        if (Boolean.TRUE.equals(e.get("overdue"))) {
            facts.add("late");
        }
        Instant at = e.get("at") instanceof String s ? parse(s) : null;
        String event = String.valueOf(e.get("event"));
        return new PagesTimeline(at, event, people.isEmpty() ? "" : lead(event), String.join(", ", people),
                String.join(" · ", facts));
    }

    /** How the people join the event: sent "to", acknowledged "by", failed (owners) "told". */
    private static String lead(String event) {
        return switch (event) {
            case "ACKNOWLEDGED", "RESOLVED", "DECLINED" -> "by";
            case "FAILED" -> "— told";
            default -> "to";
        };
    }

    private static String name(Map<?, ?> names, String given, String id) {
        if (given != null) {
            return given;
        }
        return names.get(id) instanceof String n ? n : "someone no longer in the directory";
    }

    private static Instant parse(String at) {
        try {
            return Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
