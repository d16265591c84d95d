package org.wardfleet.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;

/**
 * What an operator sees of the engine in a running server: every job's run timer, failure count, last success and
 * overdue gauge at {@code /actuator/prometheus}, the {@code jobs} health component; and a job that must run on one
 * instance runs on one of several instances sharing the database, and moves when that instance stops.
 */
@WardfleetTest
class EngineEndpointsTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired Engine engine;
    @Autowired JobLeases leases;

    @Test
    void everyJobsTimingsLastSuccessAndOverdueGaugeAreAtThePrometheusEndpoint() {
        assertThat(engine.status()).extracting(Engine.JobStatus::name)
                .contains("escalation", "escalation-watchdog", "session-sweep", "receipt-fold",
                        "stream-maintenance", "replay-cache-sweep", "google-revocation-list");
        // the receipt fold runs every second: wait for its first run to be on record
        await().atMost(WAIT).until(() -> engine.status().stream()
                .anyMatch(s -> s.name().equals("receipt-fold") && s.lastSuccess() != null));
        String scrape = http.get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth(api.adminToken()))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape)
                .containsPattern("wardfleet_jobs_run_seconds_count\\{[^}]*job=\"receipt-fold\",outcome=\"success\"[^}]*\\} "
                        + "[1-9]")
                .containsPattern("wardfleet_jobs_last_success_seconds\\{[^}]*job=\"receipt-fold\"[^}]*\\} [1-9]")
                .containsPattern("wardfleet_jobs_overdue\\{[^}]*job=\"escalation\"[^}]*\\} 0")
                .containsPattern("wardfleet_jobs_run_seconds_count\\{[^}]*job=\"escalation\",outcome=\"failure\"");
        http.get().uri("/actuator/health").headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectBody().jsonPath("$.components.jobs.status").isEqualTo("UP")
                .jsonPath("$.components.jobs.details.lastSuccess.receipt-fold").exists();
    }

    /** A job that counts its runs, on one instance at a time. */
    static final class Once implements Job {
        final String name;
        final AtomicInteger runs = new AtomicInteger();

        Once(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(100);
        }

        @Override
        public Duration timeout() {
            return Duration.ofMillis(400);
        }

        @Override
        public Scope scope() {
            return Scope.ONE_INSTANCE;
        }

        @Override
        public Mono<?> run() {
            runs.incrementAndGet();
            return Mono.empty();
        }
    }

    @Test
    void aOneInstanceJobRunsOnOneOfTwoInstancesAndTheOtherTakesOverWhenItStops() {
        String name = "once-" + UUID.randomUUID();
        Once onA = new Once(name);
        Once onB = new Once(name);
        Engine a = new Engine(List.of(onA), JobFailures.logOnly(), new SimpleMeterRegistry(), leases,
                Duration.ofSeconds(1));
        Engine b = new Engine(List.of(onB), JobFailures.logOnly(), new SimpleMeterRegistry(), leases,
                Duration.ofSeconds(1));
        a.start();
        try {
            await().atMost(WAIT).until(() -> onA.runs.get() >= 3);
            b.start();
            int before = onA.runs.get();
            await().atMost(WAIT).until(() -> onA.runs.get() >= before + 10);
            assertThat(onB.runs.get()).isZero();
            a.stop();
            // A's lease runs out (interval + timeout): B takes the job over
            await().atMost(WAIT).until(() -> onB.runs.get() >= 3);
        } finally {
            a.stop();
            b.stop();
        }
    }
}
