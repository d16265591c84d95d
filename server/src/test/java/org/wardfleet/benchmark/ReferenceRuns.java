package org.wardfleet.benchmark;

import static org.wardfleet.benchmark.BroadcastBenchmark.MQTT_PORT;
import static org.wardfleet.benchmark.BroadcastBenchmark.RECIPIENTS;
import static org.wardfleet.benchmark.BroadcastBenchmark.STALL_SECONDS;
import static org.wardfleet.benchmark.BroadcastBenchmark.TEXT;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The broadcast benchmark's two references — the encrypted floor and Mosquitto — and what all three runs share: the
 * simulator JVM, its result lines (required complete through {@link BenchmarkRun}) and the wait for an idle benchmark.
 */
final class ReferenceRuns {

    private ReferenceRuns() {
    }

    /**
     * The reference ({@link TransportFloor}, encrypted): the broadcast to as many phones on a bare reactor-netty
     * WebSocket server in this JVM, each its own A256KW/A256GCM copy, receipts counted in memory — what the transport
     * and the per-phone encryption cost before any of Wardfleet's own work (over TLS when the benchmark is). Returns ms
     * until all receipts counted.
     */
    static long floor(BenchmarkRun run, StringBuilder out) throws Exception {
        try (TransportFloor floor = new TransportFloor(true, BroadcastBenchmark.TLS_CERT, BroadcastBenchmark.TLS_KEY)) {
            Process sim = simulator("floor", String.valueOf(floor.port()), String.valueOf(RECIPIENTS));
            try {
                BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                        StandardCharsets.UTF_8));
                connected(run, "encrypted floor", simOut);
                run.require("receipts counted by the encrypted floor in the warm-up", floor.broadcast(TEXT) < 0
                        ? floor.counted() : RECIPIENTS, RECIPIENTS, "no new receipt for " + STALL_SECONDS + " s");
                warmedUp(run, "encrypted floor", simOut);
                double load = settle(sim.pid());
                long cpu0 = FleetSimulator.cpuNanos();
                long t0 = System.currentTimeMillis();
                long last = floor.broadcast(TEXT);
                long serverCpu = (FleetSimulator.cpuNanos() - cpu0) / 1_000_000;
                run.require("receipts counted by the encrypted floor", last < 0 ? floor.counted() : RECIPIENTS,
                        RECIPIENTS, "no new receipt for " + STALL_SECONDS + " s");
                String simCpu = line(simOut, "CPU");
                String[] d = done(run, "encrypted floor", line(simOut, "DONE"));
                out.append(String.format("    encrypted floor (load %.1f; bare reactor-netty WebSocket, A256KW copy "
                                + "per "
                                + "phone, counted in memory): phones with it p50 %d ms, last %d ms; all receipts "
                                + "counted at %d ms; CPU server %.1f s, phones %.1f s%n", load,
                        Long.parseLong(d[4]) - t0, Long.parseLong(d[6]) - t0, last - t0, serverCpu / 1e3,
                        millis(simCpu) / 1e3));
                return last - t0;
            } finally {
                sim.destroy();
                sim.waitFor();
            }
        }
    }

    /**
     * The outside reference: the same fan-out through Mosquitto (one QoS 1 publish to N subscribers, each answering
     * with a receipt one collector counts), warm-up and idle wait as for the others. Returns ms until all receipts.
     */
    static long mosquitto(BenchmarkRun run, StringBuilder out) throws Exception {
        Process sim = simulator("mqtt", String.valueOf(MQTT_PORT), String.valueOf(RECIPIENTS));
        try {
            BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                    StandardCharsets.UTF_8));
            java.io.Writer go = new java.io.OutputStreamWriter(sim.getOutputStream(), StandardCharsets.UTF_8);
            connected(run, "mosquitto", simOut);
            go.write("GO\n");
            go.flush();
            warmedUp(run, "mosquitto", simOut);
            long broker = FleetSimulator.mosquitto().map(ProcessHandle::pid).orElse(-1L);
            double load = settle(sim.pid(), broker);
            go.write("GO\n");
            go.flush();
            String cpu = line(simOut, "CPU"); // CPU clients broker
            String result = line(simOut, "MQTT"); // MQTT all|partial t0 devices p50 last lastReceipt receipts
            String[] m = result == null ? new String[0] : result.split(" ");
            run.require(m.length > 7, "mosquitto: the MQTT simulator stopped without a result");
            run.require("mosquitto receipts counted", Long.parseLong(m[7]), RECIPIENTS, "MQTT simulator reported "
                    + m[1] + " (" + m[3] + " clients answered the publish)");
            long m0 = Long.parseLong(m[2]);
            String[] c = cpu.split(" ");
            out.append(String.format("    mosquitto (load %.1f): clients with it p50 %d ms, last %d ms; all receipts "
                            + "counted at %d ms; CPU Mosquitto %s s, MQTT clients %.1f s%n", load,
                    Long.parseLong(m[4]) - m0, Long.parseLong(m[5]) - m0, Long.parseLong(m[6]) - m0,
                    c[2].startsWith("-") ? "?" : String.format("%.1f", Long.parseLong(c[2]) / 1e3),
                    Long.parseLong(c[1]) / 1e3));
            return Long.parseLong(m[6]) - m0;
        } finally {
            sim.destroy();
            sim.waitFor();
        }
    }

    static void connected(BenchmarkRun run, String arm, BufferedReader simOut) throws java.io.IOException {
        connected(run, arm, simOut, RECIPIENTS);
    }

    /** The simulator's CONNECTED line, required: all {@code phones} ready. */
    static void connected(BenchmarkRun run, String arm, BufferedReader simOut, long phones) throws java.io.IOException {
        String ready = line(simOut, "CONNECT");
        run.require(ready != null && ready.startsWith("CONNECTED"), arm + ": not every phone connected ("
                + (ready == null ? "the simulator stopped" : ready.replace("CONNECT-FAILED", "only")
                        + " of " + phones + " ready") + ")");
    }

    static void warmedUp(BenchmarkRun run, String arm, BufferedReader simOut) throws java.io.IOException {
        warmedUp(run, arm, simOut, RECIPIENTS);
    }

    /** The simulator's WARM line, required complete: all {@code phones} had the warm-up broadcast. */
    static void warmedUp(BenchmarkRun run, String arm, BufferedReader simOut, long phones) throws java.io.IOException {
        String warm = line(simOut, "WARM"); // WARM all|partial phones unanswered
        run.require(warm != null, arm + ": the simulator stopped during the warm-up");
        String[] w = warm.split(" ");
        run.require(arm + " phones with the warm-up broadcast", "all".equals(w[1]) ? phones : Long.parseLong(w[2]),
                phones, w[3].equals("0") ? "" : w[3] + " receipts not answered");
    }

    static String[] done(BenchmarkRun run, String arm, String done) {
        return done(run, arm, done, RECIPIENTS);
    }

    /** The simulator's DONE line, required complete: {@code DONE all n first p50 p99 last}, all {@code phones}. */
    static String[] done(BenchmarkRun run, String arm, String done, long phones) {
        run.require(done != null, arm + ": the simulator stopped without a result");
        String[] d = done.split(" ");
        run.require(arm + " phones with the broadcast", "all".equals(d[1]) ? phones : Long.parseLong(d[2]),
                phones, "the simulator reported " + done);
        return d;
    }

    static long millis(String cpuLine) {
        return cpuLine == null ? -1 : Long.parseLong(cpuLine.split(" ")[1]);
    }

    /**
     * Waits (at most two minutes) until the benchmark is idle — this JVM (server and floor) and the given processes
     * (the simulator, Mosquitto) together under a fifth of a core for a whole second — so that no run competes with
     * work the setup or an earlier run left (the policy fan-out after 10,000 enrollments, receipts, heartbeats). The
     * other tenants of a shared machine cannot be waited for: the load average at the start is reported instead.
     */
    static double settle(long... pids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            long cpu = busyMillis(pids);
            Thread.sleep(1000);
            if (busyMillis(pids) - cpu < 200) {
                break;
            }
        }
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static long busyMillis(long... pids) {
        long total = FleetSimulator.cpuNanos() / 1_000_000;
        for (long pid : pids) {
            total += pid < 0 ? 0 : Math.max(0, FleetSimulator.cpuMillis(pid));
        }
        return total;
    }

    /** The simulator's next line starting with {@code prefix} (other output, e.g. the JVM's, is skipped). */
    static String line(BufferedReader in, String prefix) throws java.io.IOException {
        String line;
        while ((line = in.readLine()) != null && !line.startsWith(prefix)) {
            System.out.println("simulator: " + line);
        }
        return line;
    }

    /** A simulator JVM; this JVM's {@code sim.*} properties (e.g. {@code -Dsim.dropReceipts=3}) are passed on. */
    static Process simulator(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx3g", System.getProperty("bench.simJvmArg", "-Dsim=1"),
                "-Dsim.stallSeconds=" + STALL_SECONDS));
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("sim."))
                .filter(name -> !name.equals("sim.stallSeconds"))
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FleetSimulator.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
