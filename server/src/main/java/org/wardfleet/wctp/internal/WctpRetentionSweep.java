package org.wardfleet.wctp.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;

import reactor.core.publisher.Mono;

/**
 * Retention for what WCTP leaves behind: accepted submissions and their status notifications
 * ({@code wctp_submissions}, {@code wctp_status}) and pager-fallback claims ({@code pager_fallbacks}) older than
 * {@code wardfleet.wctp.retention} (default 30 days, at least 2 days: longer than any window that still reads them)
 * are deleted every {@code wardfleet.wctp.retention-sweep} (1 hour). The pages themselves, their timelines and the
 * audit log are kept under their own rules. The embedded server has no TTL indexes, so this runs in every mode.
 */
@Component
class WctpRetentionSweep implements Job {

    private final WctpSubmissions submissions;
    private final PagerFallback fallback;
    private final Clock clock;
    private final Duration retention;
    private final Duration every;

    WctpRetentionSweep(WctpSubmissions submissions, PagerFallback fallback, Clock clock,
            @Value("${wardfleet.wctp.retention:30d}") Duration retention,
            @Value("${wardfleet.wctp.retention-sweep:1h}") Duration every) {
        if (retention.compareTo(Duration.ofDays(2)) < 0) {
            throw new IllegalArgumentException("wardfleet.wctp.retention must be at least 2d");
        }
        this.submissions = submissions;
        this.fallback = fallback;
        this.clock = clock;
        this.retention = retention;
        this.every = every;
    }

    /** Deletes what is older than the retention at {@code now}; returns how many documents went. */
    Mono<Long> sweep(Instant now) {
        Instant before = now.minus(retention);
        return submissions.purge(before).zipWith(fallback.forget(before), Long::sum);
    }

    @Override
    public String name() {
        return "wctp-retention-sweep";
    }

    /** A delete or write over shared records: one instance at a time is enough. */
    @Override
    public Scope scope() {
        return Scope.ONE_INSTANCE;
    }

    @Override
    public java.time.Duration interval() {
        return every;
    }

    @Override
    public Mono<?> run() {
        return sweep(clock.instant());
    }
}
