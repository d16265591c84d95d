package org.wardfleet.console.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.wardfleet.oncall.OnCallSchedules;

/**
 * The on-call schedule laid out as a calendar in the role's own time zone: a week as seven days, a month as a grid of
 * weeks. Each day runs from one local midnight to the next — 23 hours on the day the clocks go forward, 25 when they go
 * back — and shows the schedule's segments cut at those midnights, each with its true length (a shift 00:00–08:00 on
 * the last Sunday of March in London is 7 hours). The segments themselves come from {@link OnCallSchedules}, the same
 * resolution that routes pages; nothing about who is on call is decided here.
 */
record OnCallCalendar(String view, LocalDate date, ZoneId zone, String title, LocalDate previous, LocalDate next,
        List<List<Day>> weeks, List<Block> gaps) {

    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.UK);
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.UK);

    /** One local day: its length in minutes (1380 on a 23-hour day) and what covers it. */
    record Day(LocalDate date, String label, long minutes, boolean inMonth, boolean today, List<Block> blocks) {

        public boolean unusual() {
            return minutes != 24 * 60;
        }

        /** "23-hour day: clocks go forward" when the day is not 24 hours long. */
        public String note() {
            return minutes < 24 * 60 ? (minutes / 60) + "-hour day: clocks go forward"
                    : minutes > 24 * 60 ? (minutes / 60) + "-hour day: clocks go back" : "";
        }
    }

    /** A segment within one day: local times ("24:00" for the next midnight), length, who (nobody: a gap). */
    record Block(Instant start, Instant end, String from, String to, String length, long minutes, String who,
            boolean gap, boolean override) {
    }

    /** The window the calendar shows: a week from Monday, or the Monday-to-Sunday weeks around a month. */
    static Instant[] window(String view, LocalDate date, ZoneId zone) {
        LocalDate first = firstDay(view, date);
        return new Instant[] {first.atStartOfDay(zone).toInstant(), lastDay(view, date).plusDays(1)
                .atStartOfDay(zone).toInstant()};
    }

    static OnCallCalendar of(String view, LocalDate date, ZoneId zone, LocalDate today,
            List<OnCallSchedules.Segment> segments) {
        boolean month = "month".equals(view);
        List<List<Day>> weeks = new ArrayList<>();
        List<Day> week = new ArrayList<>();
        for (LocalDate d = firstDay(view, date); !d.isAfter(lastDay(view, date)); d = d.plusDays(1)) {
            week.add(day(d, zone, today, !month || d.getMonth() == date.getMonth(), segments));
            if (week.size() == 7) {
                weeks.add(week);
                week = new ArrayList<>();
            }
        }
        Instant[] window = window(view, date, zone);
        List<Block> gaps = segments.stream().filter(OnCallSchedules.Segment::gap)
                .map(s -> block(s, s.start().isBefore(window[0]) ? window[0] : s.start(),
                        s.end().isAfter(window[1]) ? window[1] : s.end(), zone, WHEN, null)).toList();
        String title = month ? date.format(DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK))
                : "Week of " + firstDay(view, date).format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK));
        return new OnCallCalendar(month ? "month" : "week", date, zone, title,
                month ? date.minusMonths(1).withDayOfMonth(1) : date.minusWeeks(1),
                month ? date.plusMonths(1).withDayOfMonth(1) : date.plusWeeks(1), weeks, gaps);
    }

    private static LocalDate firstDay(String view, LocalDate date) {
        LocalDate from = "month".equals(view) ? date.withDayOfMonth(1) : date;
        return from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static LocalDate lastDay(String view, LocalDate date) {
        LocalDate to = "month".equals(view) ? date.with(TemporalAdjusters.lastDayOfMonth()) : date;
        return to.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    }

    private static Day day(LocalDate date, ZoneId zone, LocalDate today, boolean inMonth,
            List<OnCallSchedules.Segment> segments) {
        Instant start = date.atStartOfDay(zone).toInstant();
        Instant end = date.plusDays(1).atStartOfDay(zone).toInstant();
        List<Block> blocks = new ArrayList<>();
        for (OnCallSchedules.Segment s : segments) {
            if (s.end().isAfter(start) && s.start().isBefore(end)) {
                Instant from = s.start().isBefore(start) ? start : s.start();
                Instant to = s.end().isAfter(end) ? end : s.end();
                blocks.add(block(s, from, to, zone, HOUR, end));
            }
        }
        return new Day(date, date.format(DAY), Duration.between(start, end).toMinutes(), inMonth,
                date.equals(today), blocks);
    }

    private static Block block(OnCallSchedules.Segment s, Instant from, Instant to, ZoneId zone,
            DateTimeFormatter format, Instant midnight) {
        long minutes = Duration.between(from, to).toMinutes();
        String who = s.gap() ? "Nobody on call" : String.join(", ", s.people().stream()
                .map(OnCallSchedules.Person::name).toList());
        String until = to.equals(midnight) ? "24:00" : ZonedDateTime.ofInstant(to, zone).format(format);
        return new Block(from, to, ZonedDateTime.ofInstant(from, zone).format(format), until, length(minutes),
                minutes, who, s.gap(), s.override());
    }

    /** "7 h", "7 h 30 min", "45 min". */
    static String length(long minutes) {
        long h = minutes / 60;
        long m = minutes % 60;
        return h == 0 ? m + " min" : m == 0 ? h + " h" : h + " h " + m + " min";
    }
}
