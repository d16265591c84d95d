package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.PageSending;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import reactor.core.publisher.Mono;

/**
 * A gap in cover in the next 7 days is told to the role's owners in advance — a message from Wardfleet, once per gap
 * (the idempotency key is the role and the gap's start) — not discovered at 3 a.m.
 */
@Component
class GapNotices implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    static final Duration AHEAD = Duration.ofDays(7);

    private final OnCallStore roles;
    private final Coverage coverage;
    private final PageSending paging;
    private final Clock clock;
    private final Duration every;

    GapNotices(JobFailures failures, OnCallStore roles, Coverage coverage, PageSending paging, Clock clock,
            @Value("${wardfleet.oncall.gap-check:1h}") Duration every) {
        this.items = new JobRun(name(), failures);
        this.roles = roles;
        this.coverage = coverage;
        this.paging = paging;
        this.clock = clock;
        this.every = every;
    }

    /**
     * Tells owners of every gap starting in the 7 days after {@code now}; returns how many gaps were found. Each role,
     * and each notice, is isolated: a role whose rota cannot be computed, or a notice that cannot be sent, is logged,
     * counted ({@code wardfleet.jobs.failures{job="gap-notices"}}) and skipped — every other role of every
     * organisation is still checked.
     */
    Mono<Integer> check(Instant now) {
        return roles.allRoles()
                .concatMap(role -> items.isolateMany("role " + role.id(), coverage.segments(role, now, now.plus(AHEAD))
                        .flatMapIterable(list -> list)
                        .filter(s -> s.userIds().isEmpty())
                        .concatMap(gap -> items.isolate("role " + role.id() + " gap " + gap.start(), tell(role, gap))
                                .thenReturn(1))))
                .reduce(0, Integer::sum);
    }

    private Mono<Void> tell(OnCallStore.Role role, Schedule.Segment gap) {
        return role.owners().isEmpty() ? Mono.empty()
                : paging.notice(role.orgId(), null, role.owners(), "No cover for on-call role \"" + role.name()
                        + "\" from " + gap.start() + " to " + gap.end() + ". Please arrange cover.",
                        "gap-" + role.id() + "-" + gap.start());
    }

    @Override
    public String name() {
        return "gap-notices";
    }

    @Override
    public java.time.Duration interval() {
        return every;
    }

    @Override
    public Mono<?> run() {
        return check(clock.instant());
    }
}
