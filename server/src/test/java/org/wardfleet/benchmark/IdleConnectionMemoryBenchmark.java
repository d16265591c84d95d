package org.wardfleet.benchmark;

import static org.wardfleet.benchmark.ReferenceRuns.settle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.reactivestreams.client.MongoDatabase;

/**
 * Heap per idle connected device (issue 24): {@code bench.devices} (10,000) phones enrolled, then a heap histogram of
 * this (the server's) JVM after a full GC ({@code jcmd <pid> GC.class_histogram}: live objects only) as the baseline;
 * then every phone opens its device stream, subscribes to messages and holds a message key ({@link ConnectedFleet},
 * simulator JVM), the benchmark waits until it is idle and takes the same histogram again. Heap per device = the
 * difference of the live bytes / devices; the classes that grew most are reported per device. Goal: at most 30 KB.
 * Afterwards one broadcast must reach every phone — proof that all streams were open and subscribed while measured —
 * or the run fails ({@link BenchmarkRun}). Not part of the suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class IdleConnectionMemoryBenchmark {

    static final int DEVICES = Integer.getInteger("bench.devices", 10_000);
    static final double GOAL_KB = 30;
    /** Classes listed, by growth. */
    static final int TOP = Integer.getInteger("bench.top", 15);

    @DynamicPropertySource
    static void streams(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.push.max-stream-connections", () -> String.valueOf(DEVICES + 1000));
    }

    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @LocalServerPort int port;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void heapPerIdleConnectedDevice() throws Exception {
        BenchmarkRun run = new BenchmarkRun("idle connection memory benchmark", "idle-connection-memory-benchmark.txt");
        StringBuilder out = new StringBuilder(String.format("idle connection memory benchmark: java %s, %d cores, "
                + "max heap %d MB, %d devices (stream open, subscribed, message key; simulator JVM)%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, DEVICES));
        WebClient http = BroadcastBenchmark.client(port);
        try (ConnectedFleet fleet = ConnectedFleet.enroll(run, api, db, http, DEVICES, "memory")) {
            out.append(String.format("  setup: %d phones enrolled in %.0f s%n", fleet.phones.size(),
                    fleet.enrollSeconds));
            // the same work once before the baseline, so that lazily made things (codecs, pools, caches) are in both
            BroadcastBenchmark.broadcast(http, ConnectedFleet.fresh(api, fleet.admin));
            double loadBefore = settle();
            Map<String, long[]> before = histogram();
            fleet.connect(run, port, "idle connection memory");
            double loadAfter = settle(fleet.pid());
            Map<String, long[]> after = histogram();
            run.require(fleet.alive(), "idle connection memory: the simulator stopped while measured");

            // proof that every stream was open and subscribed while measured: one broadcast reaches every phone
            BroadcastBenchmark.broadcast(http, ConnectedFleet.fresh(api, fleet.admin));
            run.require("phones that opened the broadcast after the measurement", fleet.waitFor(fleet.phones),
                    DEVICES, "no new copy opened for " + BroadcastBenchmark.STALL_SECONDS + " s");

            long total = total(after) - total(before);
            double perDevice = total / (double) DEVICES;
            out.append(String.format("  live heap (histogram after full GC): before connecting %.1f MB (load %.1f), "
                    + "%d streams open and idle %.1f MB (load %.1f)%n", total(before) / 1048576.0, loadBefore, DEVICES,
                    total(after) / 1048576.0, loadAfter));
            out.append(String.format("  heap per idle connected device: %.1f KB (%.0f bytes)%n", perDevice / 1024,
                    perDevice));
            out.append(String.format("  top classes by growth, per device:%n"));
            List<Map.Entry<String, long[]>> grown = new ArrayList<>();
            after.forEach((name, a) -> {
                long[] b = before.getOrDefault(name, new long[2]);
                grown.add(Map.entry(name, new long[] {a[0] - b[0], a[1] - b[1]}));
            });
            grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
            for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(TOP, grown.size()))) {
                out.append(String.format("    %8.0f B  %6.1f objects  %s%n", e.getValue()[1] / (double) DEVICES,
                        e.getValue()[0] / (double) DEVICES, e.getKey()));
            }
            out.append(String.format("  goal: at most %.0f KB heap per idle connected device: %s%n", GOAL_KB,
                    perDevice <= GOAL_KB * 1024 ? "PASS" : "MISS"));
            run.report(out.toString());
            // -Dbench.alsoPages=n: the page-latency measurement on these phones too (one 10,000-phone setup for both)
            int pages = Integer.getInteger("bench.alsoPages", 0);
            if (pages > 0) {
                settle(fleet.pid());
                BenchmarkRun latency = new BenchmarkRun("page latency benchmark", "page-latency-benchmark.txt");
                latency.report(String.format("page latency benchmark (run by the idle connection memory benchmark): "
                        + "java %s, %d cores%n", System.getProperty("java.version"),
                        Runtime.getRuntime().availableProcessors()) + PageLatencyBenchmark.measure(latency, api, http,
                        fleet, pages, PageLatencyBenchmark.WARMUPS));
            }
        }
    }

    /** This JVM's live objects after a full GC: class → instances, bytes ({@code jcmd <pid> GC.class_histogram}). */
    static Map<String, long[]> histogram() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(ProcessHandle.current().pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // " 1:  123  4567  java.lang.String (java.base@17)"
            if (f.length >= 4 && f[0].endsWith(":") && !f[0].equals("Total")) {
                classes.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                        (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("jcmd gave no histogram: " + text);
        }
        return classes;
    }

    private static long total(Map<String, long[]> histogram) {
        return histogram.values().stream().mapToLong(v -> v[1]).sum();
    }
}
