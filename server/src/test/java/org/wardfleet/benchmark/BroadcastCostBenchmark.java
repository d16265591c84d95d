package org.wardfleet.benchmark;

import static org.wardfleet.benchmark.ReferenceRuns.settle;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.platform.mongo.EmbeddedDatabase;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

/**
 * What one broadcast costs the server, in measures that hardly depend on the machine's load (issue 23: "the split must
 * not cost time", where timings on a shared 2-core machine could not tell the codes apart). {@code bench.recipients}
 * (200) people with a phone each hold their streams open, subscribed, with message keys, in a {@link FleetSimulator}
 * JVM ({@link ConnectedFleet}); every phone decrypts its pushed copy and sends its receipt back. For each of
 * {@code bench.rounds} (5) STAT broadcasts to everyone, after {@code bench.warmups} (2) untimed ones, the server JVM's
 * <ul>
 * <li><b>database commands</b> by name and collection (a driver {@link CommandListener} on a client built as the
 * application builds its embedded one, made {@code @Primary} here),
 * <li><b>bytes allocated</b> by its threads ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, per
 * thread, summed; this test's own thread left out; a thread that ended inside the window is lost, one that started
 * counts from zero),
 * <li><b>CPU time</b> of its threads (the same way; JIT and GC threads are not Java threads and are not counted),
 * </ul>
 * from just before the POST until every phone opened its copy, {@link #QUIET} passed (the receipts' fold is inside)
 * and the JVM was idle again ({@link ReferenceRuns#settle}). The same length of time is then measured again with
 * nothing sent, and that background (periodic jobs) is subtracted. Medians over the rounds. Receipts and audit entries
 * are group-committed, so their passes (and those commands) depend on how the receipts arrive; the rest is fixed per
 * broadcast. Every phone must have had every broadcast and the stored roll-up must show all N delivered, or the run
 * fails ({@link BenchmarkRun}). Not part of the suite (tag "benchmark"); the command is in docs/benchmarks.md
 * ("Wave 5 changes — broadcast cost per copy").
 */
@Tag("benchmark")
@WardfleetTest
class BroadcastCostBenchmark {

    static final int PHONES = Integer.getInteger("bench.recipients", 200);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    /** Commands the application's client started, by "name collection". */
    static final Map<String, LongAdder> COMMANDS = new ConcurrentHashMap<>();

    @TestConfiguration(proxyBeanMethods = false)
    static class CountedCommands {

        /** The application's client, as the application builds it for embedded storage, plus a command counter. */
        @Bean(destroyMethod = "close")
        @Primary
        MongoClient countedMongoClient(EmbeddedDatabase embedded) {
            CommandListener counter = new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    COMMANDS.computeIfAbsent(event.getCommandName() + " " + collection(event),
                            k -> new LongAdder()).increment();
                }
            };
            return MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(embedded.uriWithCredentials()))
                    .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS))
                    .addCommandListener(counter).build());
        }

        private static String collection(CommandStartedEvent event) {
            BsonDocument command = event.getCommand();
            String first = command.getFirstKey();
            return command.get(first).isString() ? command.getString(first).getValue() : "-";
        }
    }

    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @LocalServerPort int port;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void costOfOneBroadcast() throws Exception {
        System.setProperty("bench.recipients", String.valueOf(PHONES));
        BenchmarkRun run = new BenchmarkRun("broadcast cost benchmark", "broadcast-cost-benchmark.txt");
        StringBuilder out = new StringBuilder(String.format("broadcast cost benchmark: java %s, %d phones connected "
                + "(subscribed streams, message keys; simulator JVM), %d rounds; server JVM per broadcast, idle "
                + "background subtracted%n", System.getProperty("java.version"), PHONES, ROUNDS));
        WebClient http = BroadcastBenchmark.client(port);
        try (ConnectedFleet fleet = ConnectedFleet.enroll(run, api, db, http, PHONES, "cost")) {
            fleet.connect(run, port, "broadcast cost");
            for (int warm = 0; warm < WARMUPS; warm++) {
                broadcastToAll(run, http, fleet, ConnectedFleet.fresh(api, fleet.admin));
            }
            List<Map<String, Long>> commands = new ArrayList<>();
            List<Long> bytes = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            // -Dbench.jfr=<file>: a flight recording ("profile": allocation samples, CPU samples) of the measured rounds
            jdk.jfr.Recording recording = null;
            if (System.getProperty("bench.jfr") != null) {
                recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                recording.start();
            }
            for (int round = 1; round <= ROUNDS; round++) {
                // signing in (Argon2id) is not the broadcast's work: before the window
                TestApi.User sender = ConnectedFleet.fresh(api, fleet.admin);
                Thread.sleep(QUIET);
                settle(fleet.pid());
                Snapshot before = Snapshot.take();
                long t0 = System.nanoTime();
                broadcastToAll(run, http, fleet, sender);
                Thread.sleep(QUIET);
                settle(fleet.pid());
                Snapshot after = Snapshot.take();
                long window = System.nanoTime() - t0;
                // the same length of time with nothing sent: the periodic jobs' share, subtracted
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(window));
                Snapshot idle = Snapshot.take();
                requireRolledUp(run, http, sender, lastBroadcast);

                Map<String, Long> net = new TreeMap<>();
                for (String k : union(after.commands.keySet(), idle.commands.keySet())) {
                    long n = 2 * after.count(k) - before.count(k) - idle.count(k);
                    if (n != 0) {
                        net.put(k, n);
                    }
                }
                long netBytes = Snapshot.delta(before.bytes, after.bytes) - Snapshot.delta(after.bytes, idle.bytes);
                long netCpu = Snapshot.delta(before.cpu, after.cpu) - Snapshot.delta(after.cpu, idle.cpu);
                commands.add(net);
                bytes.add(netBytes);
                cpu.add(netCpu);
                out.append(String.format("  round %d: window %d ms; commands %d %s; allocated %.1f MB (%.0f KB per "
                        + "copy); CPU %.0f ms (%.2f ms per copy)%n", round, TimeUnit.NANOSECONDS.toMillis(window),
                        net.values().stream().mapToLong(Long::longValue).sum(), net, netBytes / 1e6,
                        netBytes / 1e3 / PHONES, netCpu / 1e6, netCpu / 1e6 / PHONES));
            }
            if (recording != null) {
                recording.dump(java.nio.file.Path.of(System.getProperty("bench.jfr")));
                recording.close();
            }
            report(run, out, commands, bytes, cpu);
        }
    }

    /** Untimed broadcasts before the measured ones (JIT, caches, first-use paths). */
    static final int WARMUPS = Integer.getInteger("bench.warmups", 2);

    private String lastBroadcast;

    /**
     * One broadcast to everyone from {@code sender} (with a fresh sign-in token: they last 5 minutes); returns once
     * every phone has opened its copy (the run fails otherwise). Its receipts follow.
     */
    private void broadcastToAll(BenchmarkRun run, WebClient http, ConnectedFleet fleet, TestApi.User sender)
            throws Exception {
        fleet.got.clear(); // the previous broadcast's copies have all been reported
        lastBroadcast = BroadcastBenchmark.broadcast(http, sender);
        run.require("phones with the broadcast", fleet.waitFor(fleet.phones), PHONES, "no progress for "
                + BroadcastBenchmark.STALL_SECONDS + " s");
    }

    private static void report(BenchmarkRun run, StringBuilder out, List<Map<String, Long>> commands,
            List<Long> bytes, List<Long> cpu) {
        Map<String, Double> medians = new TreeMap<>();
        for (String k : union(commands.stream().flatMap(m -> m.keySet().stream()).toList(), List.of())) {
            medians.put(k, BenchmarkRun.median(commands.stream().map(m -> m.getOrDefault(k, 0L)).toList()));
        }
        double total = BenchmarkRun.median(commands.stream()
                .map(m -> m.values().stream().mapToLong(Long::longValue).sum()).toList());
        out.append(String.format("  medians over %d rounds: %.0f database commands per broadcast %s; %.0f KB "
                + "allocated per copy (%.1f MB per broadcast); %.1f ms CPU per broadcast (%.2f ms per copy)%n", ROUNDS,
                total, medians, BenchmarkRun.median(bytes) / 1e3 / PHONES, BenchmarkRun.median(bytes) / 1e6,
                BenchmarkRun.median(cpu) / 1e6, BenchmarkRun.median(cpu) / 1e6 / PHONES));
        run.report(out.toString());
    }

    /** Past the receipts' fold ({@code DeliveryReceipts.FOLD_AFTER}, 2 s) so that it is inside the window. */
    private static final long QUIET = 3_000;

    private static TreeSet<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The stored roll-up shows all N delivered (polled outside the measured window), or the run fails. */
    private static void requireRolledUp(BenchmarkRun run, WebClient http, TestApi.User sender, String id)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + BroadcastBenchmark.STALL_SECONDS * 1000;
        int count = 0;
        while (System.currentTimeMillis() < deadline) {
            Map<?, ?> rollup = http.get().uri("/api/v1/broadcasts/" + id).headers(h -> h.setBearerAuth(sender.token()))
                    .retrieve().bodyToMono(Map.class).block(Duration.ofMinutes(1));
            count = ((Number) ((Map<?, ?>) rollup.get("counts")).get("delivered")).intValue();
            if (count >= PHONES) {
                return;
            }
            Thread.sleep(200);
        }
        run.require("phones delivered in the roll-up", count, PHONES, "no progress for "
                + BroadcastBenchmark.STALL_SECONDS + " s");
    }

    /** Commands so far, and every live thread's allocated bytes and CPU time (but this test's own thread's). */
    private record Snapshot(Map<String, Long> commands, Map<Long, Long> bytes, Map<Long, Long> cpu) {

        static Snapshot take() {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                    .getThreadMXBean();
            long self = Thread.currentThread().getId();
            long[] ids = threads.getAllThreadIds();
            long[] allocated = threads.getThreadAllocatedBytes(ids);
            long[] cpuNanos = threads.getThreadCpuTime(ids);
            Map<Long, Long> bytes = new HashMap<>();
            Map<Long, Long> cpu = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != self && allocated[i] >= 0 && cpuNanos[i] >= 0) {
                    bytes.put(ids[i], allocated[i]);
                    cpu.put(ids[i], cpuNanos[i]);
                }
            }
            Map<String, Long> commands = new HashMap<>();
            COMMANDS.forEach((k, v) -> commands.put(k, v.sum()));
            return new Snapshot(commands, bytes, cpu);
        }

        long count(String key) {
            return commands.getOrDefault(key, 0L);
        }

        /** Summed over the threads alive at {@code to}: what each did since {@code from} (or since it started). */
        static long delta(Map<Long, Long> from, Map<Long, Long> to) {
            long sum = 0;
            for (Map.Entry<Long, Long> e : to.entrySet()) {
                sum += e.getValue() - from.getOrDefault(e.getKey(), 0L);
            }
            return sum;
        }
    }
}
