package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Paging;

import reactor.core.publisher.Mono;

/**
 * A gap in cover in the next 7 days is told to the role's owners in advance — a message from Wardfleet, once per gap
 * (the idempotency key is the role and the gap's start) — not discovered at 3 a.m.
 */
@Component
class GapNotices extends org.wardfleet.platform.time.PeriodicTask {

    static final Duration AHEAD = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger(GapNotices.class);

    private final OnCallStore roles;
    private final Coverage coverage;
    private final Paging paging;
    private final Clock clock;
    private final Duration every;

    GapNotices(OnCallStore roles, Coverage coverage, Paging paging, Clock clock,
            @Value("${wardfleet.oncall.gap-check:1h}") Duration every) {
        this.roles = roles;
        this.coverage = coverage;
        this.paging = paging;
        this.clock = clock;
        this.every = every;
    }

    /** Tells owners of every gap starting in the 7 days after {@code now}; returns how many gaps were found. */
    Mono<Integer> check(Instant now) {
        return roles.allRoles()
                .concatMap(role -> coverage.segments(role, now, now.plus(AHEAD))
                        .flatMapIterable(list -> list)
                        .filter(s -> s.userIds().isEmpty())
                        .concatMap(gap -> (role.owners().isEmpty() ? Mono.<Void>empty()
                                : paging.notice(role.orgId(), null, role.owners(), "No cover for on-call role \""
                                        + role.name() + "\" from " + gap.start() + " to " + gap.end()
                                        + ". Please arrange cover.", "gap-" + role.id() + "-" + gap.start()))
                                .onErrorResume(e -> {
                                    log.warn("Gap notice for role {} failed: {}", role.id(), e.toString());
                                    return Mono.empty();
                                })
                                .thenReturn(1)))
                .reduce(0, Integer::sum);
    }

    @Override
    protected java.time.Duration period() {
        return every;
    }

    @Override
    protected Mono<?> runOnce() {
        return check(clock.instant());
    }
}
