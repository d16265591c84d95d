package org.wardfleet.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A periodic job survives its own failures: a failed run, or a failed item, is counted and the work goes on. */
class PeriodicTaskTests {

    /** Fails (by throwing, not by signalling) on its first two runs. */
    static class Flaky extends PeriodicTask {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected Duration period() {
            return Duration.ofMillis(20);
        }

        @Override
        protected Mono<?> runOnce() {
            if (runs.incrementAndGet() <= 2) {
                throw new IllegalStateException("run " + runs.get() + " failed");
            }
            return Mono.empty();
        }
    }

    @Test
    void aRunThatThrowsDoesNotStopTheNextRuns() {
        Flaky task = new Flaky();
        task.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> task.runs.get() >= 4);
        } finally {
            task.stop();
        }
    }

    @Test
    void failedRunsAreCountedByJob() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Flaky task = new Flaky();
        task.setJobFailures(new JobFailures(meters));
        task.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> task.runs.get() >= 3);
        } finally {
            task.stop();
        }
        assertThat(meters.counter(JobFailures.METRIC, "job", "flaky").count()).isEqualTo(2);
    }

    @Test
    void oneFailingItemIsSkippedAndCountedAndTheOthersAreDone() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        JobFailures failures = new JobFailures(meters);
        List<Integer> done = Flux.just(1, 2, 3)
                .concatMap(i -> failures.isolate("sweep", "item " + i, i == 2
                        ? Mono.<Integer>error(new IllegalStateException("corrupt record")) : Mono.just(i)))
                .collectList().block();
        assertThat(done).containsExactly(1, 3);
        assertThat(meters.counter(JobFailures.METRIC, "job", "sweep").count()).isEqualTo(1);
    }
}
