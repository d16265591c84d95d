package org.wardfleet.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.platform.time.DueTimers;
import org.wardfleet.platform.time.Engine;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * 1,000 concurrent pages with a two-step policy (10 s per step, nobody answers): how late is each escalation step
 * behind its due time — p50/p99/max — with the engine of one instance, then with a second engine (another instance
 * id, same database) racing it. The engines tick every second (production setting). Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@WardfleetTest
class EscalationBenchmark {

    static final int PAGES = Integer.getInteger("bench.pages", 1000);
    /** 1: the one-instance run only; 2 (default): then again with a second engine racing the first. */
    static final int ENGINES = Integer.getInteger("bench.engines", 2);

    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @Autowired ApplicationContext context;
    @LocalServerPort int port;

    @Test
    void escalationLateness() throws Exception {
        BenchmarkRun run = new BenchmarkRun("escalation benchmark", "escalation-benchmark.txt");
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(api.createUser(admin.token(), "CLINICIAN").id());
        }
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        String policy = (String) http.post().uri("/api/v1/escalation-policies")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "bench", "repeat", 1, "steps", List.of(
                        Map.of("targets", List.of(Map.of("userId", users.get(0))), "waitSeconds", 10),
                        Map.of("targets", List.of(Map.of("userId", users.get(1))), "waitSeconds", 10))))
                .retrieve().bodyToMono(Map.class).block().get("id");

        String one = run(run, http, doctor, users, policy, "one engine");
        String two = "";
        if (ENGINES > 1) {
            // a second engine, as a second instance on the same database would run it: its own escalation job
            // (another instance id) in its own engine
            Class<?> type = Class.forName("org.wardfleet.oncall.internal.EscalationJob");
            Engine second = new Engine(List.of((Job) secondEngine(type)), JobFailures.logOnly(),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), null, Duration.ofSeconds(5));
            second.start();
            try {
                two = run(run, http, doctor, users, policy, "two engines");
            } finally {
                second.stop();
            }
        }
        String result = String.format("escalation benchmark: java %s, %d cores, %d pages x 2 steps, tick 1 s%n%s%s",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), PAGES, one, two);
        run.report(result);
    }

    private String run(BenchmarkRun run, WebClient http, TestApi.User doctor, List<String> users, String policy,
            String label) throws InterruptedException {
        String batch = UUID.randomUUID().toString();
        long start = System.nanoTime();
        List<String> ids = Flux.range(0, PAGES).flatMap(i -> http.post().uri("/api/v1/pages")
                        .headers(h -> h.setBearerAuth(doctor.token())).header("Idempotency-Key", batch + i)
                        .bodyValue(Map.of("to", Map.of("userId", users.get(i % users.size())),
                                "text", "bench page " + i, "priority", "STAT", "escalationPolicyId", policy))
                        .retrieve().bodyToMono(Map.class).map(m -> (String) m.get("id"))
                        .onErrorResume(e -> {
                            System.out.println("page refused: " + e); // counted below: the run fails
                            return Mono.empty();
                        }), 16)
                .collectList().block(Duration.ofMinutes(5));
        double createSeconds = (System.nanoTime() - start) / 1e9;
        run.require(label + ": pages created", ids.size(), PAGES, "refused or failed");
        long deadline = System.currentTimeMillis() + 180_000;
        long failed = 0;
        while (System.currentTimeMillis() < deadline) {
            failed = Mono.from(db.getCollection("pages").countDocuments(Filters.and(Filters.in("_id", ids),
                    Filters.eq("state", "FAILED")))).block();
            if (failed == ids.size()) {
                break;
            }
            Thread.sleep(1000);
        }
        // nobody answers: every page must have run both steps and FAILED, or its lateness was never measured
        run.require(label + ": pages through both steps to FAILED", failed, PAGES, "not there 180 s after creation");
        List<Double> late = new ArrayList<>();
        int steps = 0;
        for (Document page : Flux.from(db.getCollection("pages").find(Filters.in("_id", ids))).collectList()
                .block()) {
            for (Document e : page.getList("timeline", Document.class)) {
                if ("ESCALATED".equals(e.getString("event")) || "FAILED".equals(e.getString("event"))) {
                    late.add(((Number) e.get("lateMs")).doubleValue());
                    steps++;
                }
            }
        }
        run.require(label + ": escalation steps fired", steps, 2L * PAGES, "two per page expected");
        Collections.sort(late);
        return String.format("  %s: %d pages created in %.1f s; %d steps fired; lateness p50 %.0f ms, p99 %.0f ms, "
                + "max %.0f ms%n", label, ids.size(), createSeconds, steps, pct(late, 50), pct(late, 99),
                late.isEmpty() ? 0 : late.get(late.size() - 1));
    }

    private Object secondEngine(Class<?> type) throws Exception {
        var ctor = type.getDeclaredConstructors()[0];
        ctor.setAccessible(true);
        Object[] args = new Object[ctor.getParameterCount()];
        Class<?>[] types = ctor.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            if (types[i] == Duration.class) {
                args[i] = Duration.ofSeconds(1); // the tick
            } else if (types[i] == DueTimers.class) {
                DueTimers own = new DueTimers(context.getBean(java.time.Clock.class)); // another process's timers
                own.start();
                args[i] = own;
            } else {
                args[i] = context.getBean(types[i]);
            }
        }
        return ctor.newInstance(args);
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1,
                (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
