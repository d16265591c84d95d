package org.wardfleet.compliance.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.identity.Tenants;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import reactor.core.publisher.Mono;

/**
 * Records each organisation's compliance counts for the day ({@link ComplianceSnapshots}), every
 * {@code wardfleet.compliance.snapshot-every} (default an hour) and once shortly after start: the 30-day chart's
 * history. Reconstructing past days from the report log instead would mean replaying every device's reports and
 * staleness rules per day on each view. Several instances write the same document: last one wins, same counts.
 */
@Component
class DailySnapshot implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    private final Tenants tenants;
    private final ComplianceStatus status;
    private final ComplianceSnapshots snapshots;
    private final Clock clock;
    private final Duration every;

    DailySnapshot(JobFailures failures,
            Tenants tenants, ComplianceStatus status, ComplianceSnapshots snapshots, Clock clock,
            @Value("${wardfleet.compliance.snapshot-every:1h}") Duration every) {
        this.items = new JobRun(name(), failures);
        this.tenants = tenants;
        this.status = status;
        this.snapshots = snapshots;
        this.clock = clock;
        this.every = every;
    }

    /** Takes every organisation's snapshot for the day of {@code now}; returns how many. */
    Mono<Integer> take(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return tenants.all()
                .concatMap(org -> items.isolate("organisation " + org.id(), status.summary(org.id())
                        .flatMap(summary -> snapshots.save(org.id(), day, summary, now))
                        .thenReturn(1)))
                .reduce(0, Integer::sum);
    }

    @Override
    public String name() {
        return "daily-snapshot";
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
    public java.time.Duration initialDelay() {
        return Duration.ofMinutes(1).compareTo(every) < 0 ? Duration.ofMinutes(1) : every;
    }

    @Override
    public Mono<?> run() {
        return take(clock.instant());
    }
}
