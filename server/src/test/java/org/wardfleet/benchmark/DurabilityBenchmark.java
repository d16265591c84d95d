package org.wardfleet.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.support.RunningServer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What durable replies cost: pages per second accepted with the embedded H2 store in its default mode (every reply
 * waits for a group commit forced to disk) against the same run with {@code embedded-durability=NONE} (H2 writes about
 * once a second, and a crash loses what it had not written), interleaved over rounds (NONE, SYNC, NONE, SYNC, ...) so
 * that a load change hits both alike. Each round is a fresh server on a fresh data directory; every page must be
 * answered 201 or the run fails. Run: see docs/benchmarks.md. Not part of the suite (tag "benchmark").
 */
@Tag("benchmark")
class DurabilityBenchmark {

    static final int PAGES = Integer.getInteger("bench.pages", 1000);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    static final String PASSWORD = "durability-benchmark-1";

    @Test
    @Timeout(value = 60, unit = java.util.concurrent.TimeUnit.MINUTES)
    void pagesPerSecondWithAndWithoutDurableReplies(@TempDir Path dir) throws Exception {
        BenchmarkRun run = new BenchmarkRun("durability benchmark", "durability-benchmark.txt");
        List<Double> sync = new ArrayList<>();
        List<Double> none = new ArrayList<>();
        // a first pair, not counted: the JVM's first server runs on colder code than every later one
        run(run, dir.resolve("warm-none"), "NONE");
        run(run, dir.resolve("warm-sync"), "SYNC");
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int round = 0; round < ROUNDS; round++) {
            none.add(run(run, dir.resolve("none-" + round), "NONE"));
            sync.add(run(run, dir.resolve("sync-" + round), "SYNC"));
        }
        double medianSync = BenchmarkRun.median(sync);
        double medianNone = BenchmarkRun.median(none);
        String report = String.format("Durability benchmark: %d STAT pages per round, %d concurrent callers, %d rounds"
                + " after a warm-up pair (JDK %s, %d cores, load average %.1f at the start, %.1f at the end)%n"
                + "  embedded-durability=NONE: %s pages/s (median %.0f)%n"
                + "  embedded-durability=SYNC: %s pages/s (median %.0f)%n  ratio SYNC/NONE: %.2f%n",
                PAGES, CONCURRENCY, ROUNDS, Runtime.version().feature(), Runtime.getRuntime().availableProcessors(),
                load, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                rates(none), medianNone, rates(sync), medianSync, medianSync / medianNone);
        run.report(report);
    }

    private static double run(BenchmarkRun run, Path dataDir, String durability) {
        try (RunningServer server = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.data-dir", dataDir.toString(), "wardfleet.mongodb.embedded-durability", durability,
                "wardfleet.bootstrap.admin-password", PASSWORD))) {
            WebClient http = WebClient.create("http://127.0.0.1:" + server.port());
            String admin = (String) http.post().uri("/api/v1/auth/token")
                    .bodyValue(Map.of("email", "admin@wardfleet.local", "password", PASSWORD))
                    .retrieve().bodyToMono(Map.class).block(Duration.ofMinutes(1)).get("access_token");
            String clinician = (String) http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin))
                    .bodyValue(Map.of("email", "bench@hospital.test", "displayName", "Dr Bench", "roles",
                            List.of("CLINICIAN"), "password", "a long passphrase 1"))
                    .retrieve().bodyToMono(Map.class).block(Duration.ofMinutes(1)).get("id");
            send(http, admin, clinician, 100); // warm-up
            long start = System.nanoTime();
            int accepted = send(http, admin, clinician, PAGES);
            double seconds = (System.nanoTime() - start) / 1e9;
            run.require("pages answered 201 with durability " + durability, accepted, PAGES, "refused or failed");
            return PAGES / seconds;
        }
    }

    private static int send(WebClient http, String admin, String clinician, int pages) {
        AtomicInteger created = new AtomicInteger();
        Flux.range(0, pages).flatMap(i -> http.post().uri("/api/v1/pages").headers(h -> {
            h.setBearerAuth(admin);
            h.set("Idempotency-Key", UUID.randomUUID().toString());
        }).bodyValue(Map.of("to", Map.of("userId", clinician), "text", "Bed 4 review", "priority", "STAT"))
                .exchangeToMono(r -> r.statusCode().value() == 201 ? r.releaseBody().doOnSuccess(
                        done -> created.incrementAndGet()) : r.bodyToMono(String.class).flatMap(body -> Mono.error(
                                new AssertionError("page refused: " + r.statusCode() + " " + body)))),
                CONCURRENCY).blockLast(Duration.ofMinutes(10));
        return created.get();
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).reduce((a, b) -> a + ", " + b).orElse("");
    }

}
