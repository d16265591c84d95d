package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Hand-over at the same local time across daylight-saving changes, both directions, London and New York. */
class RotaTests {

    static final List<String> TEAM = List.of("ana", "ben", "cai");

    @Test
    void londonDailyShiftsAre23HoursIntoSummerTimeAnd25HoursOutOfIt() {
        Rota spring = new Rota(TEAM, LocalDateTime.parse("2026-03-28T08:00"), "P1D", ZoneId.of("Europe/London"));
        Rota.Shift saturday = spring.at(Instant.parse("2026-03-28T12:00:00Z"));
        assertThat(saturday.userId()).isEqualTo("ana");
        assertThat(saturday.start()).isEqualTo(Instant.parse("2026-03-28T08:00:00Z"));
        assertThat(saturday.end()).isEqualTo(Instant.parse("2026-03-29T07:00:00Z")); // 08:00 BST
        assertThat(Duration.between(saturday.start(), saturday.end())).isEqualTo(Duration.ofHours(23));
        assertThat(spring.at(Instant.parse("2026-03-29T07:30:00Z")).userId()).isEqualTo("ben");
        assertThat(spring.at(Instant.parse("2026-03-29T06:59:59Z")).userId()).isEqualTo("ana");

        Rota autumn = new Rota(TEAM, LocalDateTime.parse("2026-10-24T08:00"), "P1D", ZoneId.of("Europe/London"));
        Rota.Shift first = autumn.at(Instant.parse("2026-10-24T12:00:00Z"));
        assertThat(first.start()).isEqualTo(Instant.parse("2026-10-24T07:00:00Z")); // 08:00 BST
        assertThat(first.end()).isEqualTo(Instant.parse("2026-10-25T08:00:00Z"));   // 08:00 GMT
        assertThat(Duration.between(first.start(), first.end())).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void newYorkEveningHandOversFollowTheLocalClock() {
        ZoneId ny = ZoneId.of("America/New_York");
        Rota spring = new Rota(TEAM, LocalDateTime.parse("2026-03-07T19:00"), "P1D", ny);
        Rota.Shift night = spring.at(Instant.parse("2026-03-08T06:00:00Z"));
        assertThat(night.userId()).isEqualTo("ana");
        assertThat(Duration.between(night.start(), night.end())).isEqualTo(Duration.ofHours(23));
        assertThat(night.end()).isEqualTo(Instant.parse("2026-03-08T23:00:00Z")); // 19:00 EDT

        Rota fall = new Rota(TEAM, LocalDateTime.parse("2026-10-31T19:00"), "P1D", ny);
        Rota.Shift longNight = fall.at(Instant.parse("2026-11-01T06:00:00Z"));
        assertThat(longNight.start()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
        assertThat(longNight.end()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z")); // 19:00 EST
        assertThat(fall.at(Instant.parse("2026-11-02T00:00:00Z")).userId()).isEqualTo("ben");
    }

    @Test
    void timeBasedShiftsStayExactAndWeeksRotateThroughTheTeam() {
        Rota twelve = new Rota(TEAM, LocalDateTime.parse("2026-03-28T20:00"), "PT12H", ZoneId.of("Europe/London"));
        twelve.between(Instant.parse("2026-03-28T20:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"))
                .forEach(s -> assertThat(Duration.between(s.start(), s.end())).isEqualTo(Duration.ofHours(12)));
        Rota weekly = new Rota(TEAM, LocalDateTime.parse("2026-01-05T09:00"), "P7D", ZoneId.of("Europe/London"));
        assertThat(weekly.at(Instant.parse("2026-01-20T12:00:00Z")).userId()).isEqualTo("cai");
        assertThat(weekly.at(Instant.parse("2026-01-26T12:00:00Z")).userId()).isEqualTo("ana");
        assertThat(weekly.at(Instant.parse("2025-12-31T12:00:00Z"))).isNull();
    }

    @Test
    void anOverrideReplacesTheRotaAndLeaveWithoutCoverIsAGap() {
        Rota rota = new Rota(TEAM, LocalDateTime.parse("2026-05-04T08:00"), "P1D", ZoneId.of("Europe/London"));
        Instant from = Instant.parse("2026-05-04T07:00:00Z");
        Instant to = Instant.parse("2026-05-07T07:00:00Z");
        var override = new Schedule.Cover("dev", Instant.parse("2026-05-05T19:00:00Z"),
                Instant.parse("2026-05-06T07:00:00Z"));
        var leave = new Schedule.Cover("cai", Instant.parse("2026-05-06T07:00:00Z"),
                Instant.parse("2026-05-07T07:00:00Z"));
        List<Schedule.Segment> segments = Schedule.compute(rota, List.of(override), List.of(leave), from, to);
        assertThat(segments).extracting(Schedule.Segment::userIds).containsExactly(List.of("ana"), List.of("ben"),
                List.of("dev"), List.of());
        assertThat(segments.get(2).override()).isTrue();
        assertThat(segments.get(3).start()).isEqualTo(Instant.parse("2026-05-06T07:00:00Z"));
    }
}
