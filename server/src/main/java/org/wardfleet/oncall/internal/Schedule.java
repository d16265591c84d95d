package org.wardfleet.oncall.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Who covers a window: the rota, then overrides (the newest covering a moment wins: "I cover Tuesday night"), then
 * leave (a rota user on leave with nobody overriding is a gap — shown, never silently skipped to the next person).
 */
final class Schedule {

    private Schedule() {
    }

    record Cover(String userId, Instant from, Instant to) {
        boolean covers(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }
    }

    /** {@code userIds} empty: nobody is on call (a gap). */
    record Segment(List<String> userIds, Instant start, Instant end, boolean override) {
    }

    static List<Segment> compute(Rota rota, List<Cover> overrides, List<Cover> leave, Instant from, Instant to) {
        TreeSet<Instant> cuts = new TreeSet<>();
        cuts.add(from);
        cuts.add(to);
        rota.between(from, to).forEach(s -> {
            cuts.add(s.start());
            cuts.add(s.end());
        });
        for (Cover c : overrides) {
            cuts.add(c.from());
            cuts.add(c.to());
        }
        for (Cover c : leave) {
            cuts.add(c.from());
            cuts.add(c.to());
        }
        List<Instant> points = new ArrayList<>(cuts.subSet(from, true, to, true));
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i + 1 < points.size(); i++) {
            Instant a = points.get(i);
            Instant b = points.get(i + 1);
            Segment s = who(rota, overrides, leave, a, b);
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last != null && last.userIds().equals(s.userIds()) && last.override() == s.override()
                    && last.end().equals(a)) {
                segments.set(segments.size() - 1, new Segment(last.userIds(), last.start(), b, last.override()));
            } else {
                segments.add(s);
            }
        }
        return segments;
    }

    private static Segment who(Rota rota, List<Cover> overrides, List<Cover> leave, Instant a, Instant b) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).covers(a)) {
                return new Segment(List.of(overrides.get(i).userId()), a, b, true);
            }
        }
        Rota.Shift shift = rota.at(a);
        if (shift == null) {
            return new Segment(List.of(), a, b, false);
        }
        boolean away = leave.stream().anyMatch(l -> Objects.equals(l.userId(), shift.userId()) && l.covers(a));
        return new Segment(away ? List.of() : List.of(shift.userId()), a, b, false);
    }
}
