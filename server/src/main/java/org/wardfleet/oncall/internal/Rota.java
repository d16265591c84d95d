package org.wardfleet.oncall.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A rota: participants take turns, one shift each, from a local start in the role's time zone. A date-based shift
 * ({@code P1D}, {@code P7D}) hands over at the same <em>local</em> time every time, so across a daylight-saving change
 * one shift is 23 or 25 hours long; a time-based shift ({@code PT12H}) is exactly that many hours. Pure computation:
 * overrides and leave are applied by {@link Schedule}.
 */
record Rota(List<String> participants, LocalDateTime start, String shift, ZoneId zone) {

    static final int MAX_SHIFTS = 5000;
    /**
     * More shifts than a century of 15-minute shifts: a rota that far from its start (a start stored before dates
     * were bounded) is refused rather than stepped through, one shift at a time, on a request thread.
     */
    static final long MAX_INDEX = 10_000_000;

    Rota {
        participants = List.copyOf(participants);
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("A rota needs at least one participant");
        }
        parse(shift); // fail early on a bad duration
    }

    record Shift(int index, String userId, Instant start, Instant end) {
    }

    /** The shift containing {@code at}, or null before the rota starts. */
    Shift at(Instant at) {
        Instant first = startOf(0);
        if (at.isBefore(first)) {
            return null;
        }
        // estimate by the nominal length, then step to the exact shift (DST makes lengths differ by an hour)
        long nominal = nominalSeconds();
        long k = Math.max(0, (at.getEpochSecond() - first.getEpochSecond()) / nominal - 1);
        if (k > MAX_INDEX) {
            throw new DateTimeException("The rota started too long before " + at);
        }
        while (!startOf(k + 1).isAfter(at)) {
            k++;
        }
        while (k > 0 && startOf(k).isAfter(at)) {
            k--;
        }
        return shift(k);
    }

    List<Shift> between(Instant from, Instant to) {
        List<Shift> shifts = new ArrayList<>();
        Shift current = at(from);
        long k = current == null ? 0 : current.index();
        while (shifts.size() < MAX_SHIFTS) {
            Shift s = shift(k++);
            if (!s.start().isBefore(to)) {
                break;
            }
            if (s.end().isAfter(from)) {
                shifts.add(s);
            }
        }
        return shifts;
    }

    private Shift shift(long k) {
        return new Shift((int) k, participants.get((int) (k % participants.size())), startOf(k), startOf(k + 1));
    }

    Instant startOf(long k) {
        if (k > MAX_INDEX + 2) {
            throw new DateTimeException("Shift " + k + " is past the rota's bound");
        }
        Object length = parse(shift);
        ZonedDateTime first = start.atZone(zone);
        if (length instanceof Period period) {
            return start.plus(period.multipliedBy((int) k)).atZone(zone).toInstant();
        }
        return first.toInstant().plus(((Duration) length).multipliedBy(k));
    }

    private long nominalSeconds() {
        Object length = parse(shift);
        return length instanceof Period p ? Math.max(3600, p.toTotalMonths() * 30 * 86400 + p.getDays() * 86400L)
                : Math.max(60, ((Duration) length).getSeconds());
    }

    static Object parse(String shift) {
        try {
            if (shift.contains("T")) {
                Duration d = Duration.parse(shift);
                if (d.compareTo(Duration.ofMinutes(15)) < 0 || d.compareTo(Duration.ofDays(31)) > 0) {
                    throw new IllegalArgumentException("A shift is between 15 minutes and 31 days");
                }
                return d;
            }
            Period p = Period.parse(shift);
            if (p.isNegative() || p.isZero() || p.toTotalMonths() > 1) {
                throw new IllegalArgumentException("A shift is between 1 day and 1 month");
            }
            return p;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("shift must be an ISO-8601 duration such as P1D, P7D or PT12H");
        }
    }
}
