package org.wardfleet.oncall.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * {@code escalations}: DOWN while any page's next escalation step is more than 30 s overdue — a stuck engine shows up
 * here (and in the {@code wardfleet.escalations.overdue} metric, kept by {@link EscalationWatchdog}, not by the
 * engine) before a clinician notices. Not part of liveness or
 * readiness: an overdue page needs the engine, not a restart loop.
 */
@Component("escalations")
class EscalationHealthIndicator implements ReactiveHealthIndicator {

    private final EscalationWatchdog watchdog;

    EscalationHealthIndicator(EscalationWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    public Mono<Health> health() {
        return watchdog.overdue().map(n -> (n == 0 ? Health.up() : Health.down())
                .withDetail("overdueEscalations", n).build());
    }
}
