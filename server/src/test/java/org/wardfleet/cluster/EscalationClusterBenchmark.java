package org.wardfleet.cluster;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.wardfleet.benchmark.BenchmarkRun;

import tools.jackson.databind.JsonNode;

/**
 * Issue 24's escalation target with Wardfleet as it is deployed: instances in JVMs of their own (the packaged jar,
 * production tick of 1 s, C2 compiler, 1 GB heap) on one database process, behind HAProxy ({@link Cluster}). 1,000
 * STAT pages, each with a policy of two steps of 10 s and no repeat, nobody answers: every page escalates once and
 * then FAILS — 2,000 timed steps, each with its lateness ({@code lateMs}: when it ran minus when it was due) on the
 * page's timeline. First with one instance (the other stopped), then with both racing for the same steps. A page that
 * did not reach FAILED, or a step that did not fire, fails the run. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
class EscalationClusterBenchmark {

    static final int PAGES = Integer.getInteger("bench.pages", 1000);
    static final int IN_FLIGHT = 16;
    static final int WARM_UP = Integer.getInteger("bench.warmUp", 500);

    @Test
    @org.junit.jupiter.api.Timeout(value = 40, unit = TimeUnit.MINUTES)
    void escalationLatenessWithInstancesInSeparateJvms() throws Exception {
        BenchmarkRun run = new BenchmarkRun("escalation cluster benchmark", "escalation-cluster-benchmark.txt");
        Path root = Files.createTempDirectory("wardfleet-escalation-bench");
        try (Cluster cluster = Cluster.start(root, 2, List.of("-Xmx1g"))) {
            HttpClient http = cluster.client();
            String admin = cluster.adminToken(http);
            List<Phones.Clinician> people = Phones.clinicians(cluster, http, admin, 20);
            String policy = cluster.json(cluster.send(http, "POST", "/api/v1/escalation-policies", admin,
                    "{\"name\":\"bench\",\"repeat\":1,\"steps\":[{\"targets\":[{\"userId\":\"" + people.get(0).id()
                            + "\"}],\"waitSeconds\":10},{\"targets\":[{\"userId\":\"" + people.get(1).id()
                            + "\"}],\"waitSeconds\":10}]}", Map.of()), 201).path("id").asString();

            Cluster.Node second = cluster.nodes().get(1);
            cluster.stop(second);
            cluster.awaitBalancer(second, false);
            String one = run(run, cluster, http, admin, people, policy, "one instance");

            cluster.start(second);
            cluster.ready(second);
            cluster.awaitBalancer(second, true);
            // the restarted instance's JIT is cold: the same work, untimed, until both have run it (its report is
            // dropped; an incomplete warm-up still fails the run)
            run(run, cluster, http, admin, people, policy, "warm-up of both instances", WARM_UP);
            String two = run(run, cluster, http, admin, people, policy, "two instances");
            run.report(String.format("escalation cluster benchmark: java %s, %d cores, load average %s, %d pages x 2 "
                    + "steps, tick 1 s, instances in separate JVMs behind HAProxy%n%s%s",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), load(), PAGES,
                    one, two));
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(root);
        }
    }

    private String run(BenchmarkRun run, Cluster cluster, HttpClient http, String admin,
            List<Phones.Clinician> people, String policy, String label) throws Exception {
        return run(run, cluster, http, admin, people, policy, label, PAGES);
    }

    private String run(BenchmarkRun run, Cluster cluster, HttpClient http, String admin,
            List<Phones.Clinician> people, String policy, String label, int count) throws Exception {
        String load = load();
        ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
        List<Future<String>> sent = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                String to = people.get(i % people.size()).id();
                sent.add(senders.submit(() -> {
                    HttpResponse<String> response = cluster.send(http, "POST", "/api/v1/pages", admin,
                            "{\"to\":{\"userId\":\"" + to + "\"},\"text\":\"bench page\",\"priority\":\"STAT\","
                                    + "\"escalationPolicyId\":\"" + policy + "\"}",
                            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                    return response.statusCode() == 201 ? Cluster.JSON.readTree(response.body()).path("id")
                            .asString() : null;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : sent) {
                try {
                    String id = f.get(5, TimeUnit.MINUTES);
                    if (id != null) {
                        ids.add(id);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    System.out.println("page refused: " + e.getCause()); // counted below: the run fails
                }
            }
            double createSeconds = (System.nanoTime() - start) / 1e9;
            run.require(label + ": pages created", ids.size(), count, "refused or failed");
            Map<String, String> claimsBefore = claims(cluster, http, admin);
            // no page can be through both steps before 20 s after the last was created: the checks below (a GET
            // per page every 2 s) would only load the instances that are firing the steps being measured
            TimeUnit.SECONDS.sleep(21);

            // nobody answers: every page runs both steps and FAILS (20 s after creation), or its lateness is unknown
            List<Double> late = Collections.synchronizedList(new ArrayList<>());
            List<String> unfinished = Collections.synchronizedList(new ArrayList<>());
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
            List<String> waiting = new ArrayList<>(ids);
            while (!waiting.isEmpty() && System.currentTimeMillis() < deadline) {
                TimeUnit.SECONDS.sleep(2);
                List<Future<String>> checks = new ArrayList<>();
                for (String id : waiting) {
                    checks.add(senders.submit(() -> {
                        JsonNode page = Cluster.JSON.readTree(cluster.send(http, "GET", "/api/v1/pages/" + id, admin,
                                null, Map.of()).body());
                        if (!"FAILED".equals(page.path("state").asString())) {
                            return id;
                        }
                        for (JsonNode e : page.path("timeline")) {
                            String event = e.path("event").asString();
                            if ("ESCALATED".equals(event) || "FAILED".equals(event)) {
                                late.add(e.path("lateMs").asDouble());
                            }
                        }
                        return null;
                    }));
                }
                List<String> still = new ArrayList<>();
                for (Future<String> c : checks) {
                    String id = c.get(5, TimeUnit.MINUTES);
                    if (id != null) {
                        still.add(id);
                    }
                }
                waiting = still;
            }
            unfinished.addAll(waiting);
            run.require(label + ": pages through both steps to FAILED", count - unfinished.size(), count,
                    "not there 4 minutes after creation");
            run.require(label + ": escalation steps fired", late.size(), 2L * count, "two per page expected");
            List<Double> sorted = new ArrayList<>(late);
            Collections.sort(sorted);
            Map<String, String> claimsAfter = claims(cluster, http, admin);
            StringBuilder perInstance = new StringBuilder();
            claimsAfter.forEach((node, after) -> perInstance.append(String.format("%n    instance %s: %s -> %s", node,
                    claimsBefore.getOrDefault(node, "-"), after)));
            return String.format("  %s (load average at start %s): %d pages created in %.1f s; %d steps fired; "
                    + "lateness p50 %.0f ms, p99 %.0f ms, max %.0f ms; claims (won/lost/slow fires) before -> after:%s%n",
                    label, load, ids.size(), createSeconds, sorted.size(), pct(sorted, 50), pct(sorted, 99),
                    sorted.get(sorted.size() - 1), perInstance);
        } finally {
            senders.shutdownNow();
        }
    }

    /** Each running instance's escalation claims won, lost, and slow fires so far (its Prometheus counters). */
    private static Map<String, String> claims(Cluster cluster, HttpClient http, String admin) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Cluster.Node node : cluster.nodes()) {
            try {
                String scrape = cluster.send(http, node, "GET", "/actuator/prometheus", admin).body();
                out.put(node.name, counter(scrape, "wardfleet_escalation_claims_total", "outcome=\"won\"") + "/"
                        + counter(scrape, "wardfleet_escalation_claims_total", "outcome=\"lost\"") + "/"
                        + counter(scrape, "wardfleet_escalation_slow_fires_total", ""));
            } catch (Exception e) {
                out.put(node.name, "down");
            }
        }
        return out;
    }

    private static long counter(String scrape, String name, String tag) {
        return scrape.lines().filter(l -> (l.startsWith(name + "{") || l.startsWith(name + " ")) && l.contains(tag))
                .findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1L);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
