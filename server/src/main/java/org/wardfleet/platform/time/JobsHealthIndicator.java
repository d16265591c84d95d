package org.wardfleet.platform.time;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code jobs}: DOWN while any periodic job has not completed in time (a run stuck past its timeout, or no run for
 * longer than its interval and timeout), with the job's name and why; the details list every job's last success.
 * Read from the {@link Engine}'s bookkeeping, not from the jobs. Not part of liveness or readiness: a stuck job needs
 * an operator, not a restart loop.
 */
@Component("jobs")
class JobsHealthIndicator implements HealthIndicator {

    private final Engine engine;

    JobsHealthIndicator(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        Map<String, String> overdue = new LinkedHashMap<>();
        Map<String, String> lastSuccess = new LinkedHashMap<>();
        for (Engine.JobStatus job : engine.status()) {
            if (job.overdue() != null) {
                overdue.put(job.name(), job.overdue());
            }
            lastSuccess.put(job.name(), job.lastSuccess() == null ? "never" : job.lastSuccess().toString());
        }
        return (overdue.isEmpty() ? Health.up() : Health.down()).withDetail("overdue", overdue)
                .withDetail("lastSuccess", lastSuccess).build();
    }
}
