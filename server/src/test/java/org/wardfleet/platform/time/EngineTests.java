package org.wardfleet.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The engine that runs every periodic job, built by hand with no application around it: what an operator sees when a
 * job fails, when one organisation's work fails, and when a job hangs.
 */
class EngineTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** A job every 50 ms doing {@code work}, counting its runs. */
    static final class TestJob implements Job {
        final String name;
        final Function<JobRun, Mono<?>> work;
        final AtomicInteger runs = new AtomicInteger();
        Duration timeout = Job.MIN_TIMEOUT;

        final JobRun items;

        TestJob(String name, SimpleMeterRegistry meters, Function<JobRun, Mono<?>> work) {
            this.name = name;
            this.work = work;
            this.items = new JobRun(name, new JobFailures(meters));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(50);
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public Mono<?> run() {
            runs.incrementAndGet();
            return work.apply(items);
        }
    }

    private static Engine engine(SimpleMeterRegistry meters, Job... jobs) {
        return new Engine(List.of(jobs), new JobFailures(meters), meters, null, Duration.ofMillis(50));
    }

    @Test
    void aFailingJobDoesNotStopTheOtherJobsOrItsOwnNextRuns() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TestJob throwing = new TestJob("throwing", meters, run -> {
            throw new IllegalStateException("broken before it even returned a Mono");
        });
        TestJob failing = new TestJob("failing", meters,
                run -> Mono.error(new IllegalStateException("storage said no")));
        TestJob healthy = new TestJob("healthy", meters, run -> Mono.empty());
        Engine engine = engine(meters, throwing, failing, healthy);
        engine.start();
        try {
            await().atMost(WAIT).until(() -> healthy.runs.get() >= 5 && throwing.runs.get() >= 3
                    && failing.runs.get() >= 3);
        } finally {
            engine.stop();
        }
        assertThat(meters.counter(JobFailures.METRIC, "job", "throwing").count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.counter(JobFailures.METRIC, "job", "failing").count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.counter(JobFailures.METRIC, "job", "healthy").count()).isZero();
        assertThat(meters.timer(Engine.RUN_TIMER, "job", "failing", "outcome", "failure").count())
                .isGreaterThanOrEqualTo(3);
        assertThat(meters.timer(Engine.RUN_TIMER, "job", "healthy", "outcome", "success").count())
                .isGreaterThanOrEqualTo(5);
        assertThat(meters.get(Engine.LAST_SUCCESS).tag("job", "healthy").gauge().value()).isPositive();
        assertThat(meters.get(Engine.LAST_SUCCESS).tag("job", "failing").gauge().value()).isZero();
    }

    @Test
    void aFailingOrganisationIsSkippedAndTheOtherOrganisationsAreDoneEveryRun() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
        TestJob perOrg = new TestJob("per-org", meters, run -> run.perOrganisation(Flux.just("a", "corrupt", "c"),
                org -> "corrupt".equals(org) ? Mono.error(new IllegalStateException("unreadable record"))
                        : Mono.fromRunnable(() -> done.computeIfAbsent(org, o -> new AtomicInteger())
                                .incrementAndGet())).then());
        Engine engine = engine(meters, perOrg);
        engine.start();
        try {
            await().atMost(WAIT).until(() -> done.containsKey("a") && done.get("a").get() >= 3
                    && done.containsKey("c") && done.get("c").get() >= 3);
        } finally {
            engine.stop();
        }
        assertThat(done).doesNotContainKey("corrupt");
        // the organisation's failure is counted; the run itself succeeded
        assertThat(meters.counter(JobFailures.METRIC, "job", "per-org").count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.timer(Engine.RUN_TIMER, "job", "per-org", "outcome", "failure").count()).isZero();
    }

    @Test
    void aStuckJobTurnsHealthDownAndItsGaugeToOneWhileTheOthersRunAndBothRecoverWhenItCompletes() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Sinks.Empty<Void> release = Sinks.empty();
        TestJob stuck = new TestJob("stuck", meters, run -> release.asMono());
        stuck.timeout = Duration.ofMillis(500);
        TestJob healthy = new TestJob("healthy", meters, run -> Mono.empty());
        Engine engine = engine(meters, stuck, healthy);
        JobsHealthIndicator health = new JobsHealthIndicator(engine);
        engine.start();
        try {
            await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(health.health().getDetails().get("overdue").toString()).startsWith("{stuck=").doesNotContain("healthy");
            assertThat(meters.get(Engine.OVERDUE).tag("job", "stuck").gauge().value()).isEqualTo(1);
            assertThat(meters.get(Engine.OVERDUE).tag("job", "healthy").gauge().value()).isZero();
            int before = healthy.runs.get();
            await().atMost(WAIT).until(() -> healthy.runs.get() > before + 3);
            assertThat(stuck.runs.get()).isEqualTo(1); // the hung run is not piled onto

            release.tryEmitEmpty();
            await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
            assertThat(meters.get(Engine.OVERDUE).tag("job", "stuck").gauge().value()).isZero();
            await().atMost(WAIT).until(() -> stuck.runs.get() > 2);
        } finally {
            engine.stop();
        }
    }

    @Test
    void jobsWithTheSameNameAreRefusedAtStart() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TestJob one = new TestJob("same", meters, run -> Mono.empty());
        TestJob two = new TestJob("same", meters, run -> Mono.empty());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine(meters, one, two))
                .hasMessageContaining("same");
    }
}
