package org.wardfleet.benchmark;

import static org.wardfleet.benchmark.ReferenceRuns.connected;
import static org.wardfleet.benchmark.ReferenceRuns.simulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.support.TestApi;

import com.mongodb.reactivestreams.client.MongoDatabase;

/**
 * {@code n} people with one enrolled phone each, every phone holding its device stream open, subscribed to messages
 * and holding a message key in a {@link FleetSimulator} JVM (mode {@code each}: the SDK's path); the simulator reports
 * each copy a phone opens, which {@link #got} collects. Shared by {@link PageLatencyBenchmark} and
 * {@link IdleConnectionMemoryBenchmark}. Close it to end the simulator.
 */
final class ConnectedFleet implements AutoCloseable {

    /** Phones: device id, user id, private key, public key (the simulator's devices file). */
    final List<String[]> phones;
    final TestApi.User admin;
    final double enrollSeconds;
    /** device id → when its phone first opened a pushed copy (epoch ms, the simulator's clock, same machine) */
    final Map<String, Long> got = new ConcurrentHashMap<>();
    private final Path file;
    private Process sim;

    private ConnectedFleet(TestApi.User admin, Path file, List<String[]> phones, double enrollSeconds) {
        this.admin = admin;
        this.file = file;
        this.phones = phones;
        this.enrollSeconds = enrollSeconds;
    }

    /** A new organisation (its baseline policies installed first) of {@code n} people, a phone each, enrolled. */
    static ConnectedFleet enroll(BenchmarkRun run, TestApi api, MongoDatabase db, WebClient http, int n, String name)
            throws Exception {
        TestApi.User admin = api.newOrganisation();
        http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).retrieve().toBodilessEntity()
                .block(Duration.ofMinutes(1));
        long setup = System.nanoTime();
        List<String> userIds = BroadcastBenchmark.people(db, api.createUser(admin.token(), "CLINICIAN"), n).stream()
                .map(p -> p.getString("_id")).toList();
        Path file = Path.of("target", "bench-" + name + "-devices.tsv");
        Path chunk = Path.of("target", "bench-" + name + "-devices-chunk.tsv");
        // in chunks, each with a fresh admin token: sign-in tokens last 5 minutes, and on a loaded machine 10,000
        // enrollments take far longer (a 10,000-phone run once failed with 5,089 invitations refused 401)
        List<String> lines = new java.util.ArrayList<>();
        for (int from = 0; from < n; from += 500) {
            BroadcastBenchmark.enrollPhones(http, db, fresh(api, admin), userIds.subList(from, Math.min(n, from + 500)),
                    chunk);
            lines.addAll(Files.readAllLines(chunk));
        }
        Files.write(file, lines);
        run.require("phones enrolled", lines.size(), n, "enrollment refused or timed out");
        return new ConnectedFleet(admin, file, lines.stream().map(l -> l.split("\t")).toList(),
                (System.nanoTime() - setup) / 1e9);
    }

    /** The organisation's admin with a new sign-in token (tokens last 5 minutes). */
    static TestApi.User fresh(TestApi api, TestApi.User admin) {
        return new TestApi.User(admin.id(), admin.email(), admin.password(), api.token(admin.email(),
                admin.password()));
    }

    /** Starts the simulator and waits until every phone is connected and subscribed (the run fails otherwise). */
    void connect(BenchmarkRun run, int port, String arm) throws Exception {
        sim = simulator("ws", String.valueOf(port), file.toAbsolutePath().toString(), "keys,stream,push,each");
        BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
        connected(run, arm, simOut, phones.size());
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = simOut.readLine()) != null; ) {
                    if (line.startsWith("GOT ")) {
                        String[] f = line.split(" ");
                        got.putIfAbsent(f[1], Long.parseLong(f[2]));
                    } else {
                        System.out.println("simulator: " + line);
                    }
                }
            } catch (java.io.IOException e) {
                // the simulator ended; the counts the benchmark requires say what was missed
            }
        }, "simulator-output");
        reader.setDaemon(true);
        reader.start();
    }

    long pid() {
        return sim == null ? -1 : sim.pid();
    }

    boolean alive() {
        return sim != null && sim.isAlive();
    }

    /** Waits until every phone of {@code some} opened a copy, or none more did for the stall time; how many did. */
    long waitFor(List<String[]> some) throws InterruptedException {
        long progressed = System.currentTimeMillis();
        long seen = -1;
        while (true) {
            long have = some.stream().filter(p -> got.containsKey(p[0])).count();
            if (have == some.size()) {
                return have;
            }
            if (have != seen) {
                seen = have;
                progressed = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - progressed > BroadcastBenchmark.STALL_SECONDS * 1000) {
                return have;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        if (sim != null) {
            sim.getOutputStream().close(); // the simulator closes its streams and ends
            sim.destroy();
            sim.waitFor();
        }
    }
}
