package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Watches the escalation engine from outside: every {@code wardfleet.oncall.watchdog} (10 s) it counts, from storage,
 * the pages whose next step is more than {@link Escalation#OVERDUE} overdue and publishes the count as the gauge
 * {@code wardfleet.escalations.overdue}. It shares nothing with the engine but the pages collection — not its tick,
 * not its thread, not its state — so an engine that is stopped or stuck shows in the metric (and in the health
 * component {@code escalations}, which asks storage on every call) instead of freezing the count it would report.
 */
@Component
class EscalationWatchdog implements Job {

    static final String GAUGE = "wardfleet.escalations.overdue";

    private final PageStore pages;
    private final Clock clock;
    private final Duration every;
    private final AtomicLong overdue = new AtomicLong();

    EscalationWatchdog(PageStore pages, Clock clock, MeterRegistry meters,
            @Value("${wardfleet.oncall.watchdog:10s}") Duration every) {
        if (every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(Escalation.OVERDUE) > 0) {
            throw new IllegalArgumentException("wardfleet.oncall.watchdog must be between 1s and 30s");
        }
        this.pages = pages;
        this.clock = clock;
        this.every = every;
        meters.gauge(GAUGE, overdue);
    }

    /** Pages more than 30 s overdue now, read from storage; the gauge is updated on the way. */
    Mono<Long> overdue() {
        return pages.overdue(clock.instant().minus(Escalation.OVERDUE)).doOnNext(overdue::set);
    }

    @Override
    public String name() {
        return "escalation-watchdog";
    }

    @Override
    public java.time.Duration interval() {
        return every;
    }

    @Override
    public java.time.Duration initialDelay() {
        return Duration.ZERO;
    }

    @Override
    public Mono<?> run() {
        return overdue();
    }
}
