package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Paging;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A gap in cover in the next 7 days is told to the role's owners in advance — a message from Wardfleet, once per gap
 * (the idempotency key is the role and the gap's start) — not discovered at 3 a.m.
 */
@Component
class GapNotices implements SmartLifecycle {

    static final Duration AHEAD = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger(GapNotices.class);

    private final OnCallStore roles;
    private final Coverage coverage;
    private final Paging paging;
    private final Clock clock;
    private final Duration every;
    private volatile Disposable running;

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
    public void start() {
        running = Flux.interval(every, every, Schedulers.parallel())
                .concatMap(t -> check(clock.instant()).onErrorResume(e -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable r = running;
        if (r != null) {
            r.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }
}
