package org.wardfleet.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The load generator of the enrollment and posture benchmarks in a JVM of its own (issue 24), so that the server's
 * JVM does only the server's work: {@code LoadGenerator <port> <path> <requests file> <warm-up count> <in flight>}.
 * Each line of the file is one request, prepared by the benchmark before the clock starts: {@code <Authorization
 * header or -> TAB <JSON body>}. The first {@code warm-up count} lines are sent untimed, then the line
 * {@code WARM <ok>}; after a {@code GO} line on stdin (the benchmark waits for an idle machine first) the rest are sent
 * with {@code in flight} requests at once and the line {@code DONE <ok> <sent> <elapsed ms>} follows. A request that
 * was not answered 2xx is counted out (and its status printed on stderr); the benchmark then fails the run.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        List<String> lines = Files.readAllLines(Path.of(args[2]));
        int warm = Integer.parseInt(args[3]);
        int inFlight = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.create(ConnectionProvider.builder("load").maxConnections(inFlight)
                        .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofMinutes(5)).build())
                .baseUrl("http://127.0.0.1:" + port);
        System.out.println("WARM " + send(http, path, lines.subList(0, warm), inFlight));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("GO"); ) {
            // waiting for the benchmark
        }
        List<String> timed = lines.subList(warm, lines.size());
        long start = System.nanoTime();
        int ok = send(http, path, timed, inFlight);
        System.out.printf("DONE %d %d %d%n", ok, timed.size(), (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        System.exit(0);
    }

    /** What a timed run of the generator did: requests answered 2xx, requests sent, elapsed ms, load average. */
    record Timed(int ok, int sent, long millis, double load) {

        double perSecond() {
            return ok / (millis / 1000.0);
        }
    }

    /**
     * Runs a generator JVM for the benchmark in this (the server's) JVM: writes the requests file, waits for the
     * untimed warm-up (all {@code warm} answered, or the run fails), for an idle benchmark, then the timed requests;
     * {@code -Dbench.jfr=file}: a flight recording of this JVM during the timed requests only.
     */
    static Timed drive(BenchmarkRun run, int port, String path, List<String> requests, int warm, int inFlight)
            throws Exception {
        Path file = Path.of("target", "bench-load" + path.replace('/', '-') + ".txt");
        Files.write(file, requests);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(), String.valueOf(port), path,
                file.toAbsolutePath().toString(), String.valueOf(warm), String.valueOf(inFlight));
        Process generator = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(generator.getInputStream(),
                    StandardCharsets.UTF_8));
            String warmed = ReferenceRuns.line(out, "WARM");
            run.require(warmed != null, "load generator: stopped during the warm-up");
            run.require("warm-up requests answered 2xx", Long.parseLong(warmed.split(" ")[1]), warm,
                    "refused or failed (see the generator's lines above)");
            double load = ReferenceRuns.settle(generator.pid());
            jdk.jfr.Recording recording = null;
            if (System.getProperty("bench.jfr") != null) {
                recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration(
                        System.getProperty("bench.jfrSettings", "profile")));
                recording.start();
            }
            generator.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
            generator.getOutputStream().flush();
            String done = ReferenceRuns.line(out, "DONE");
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(System.getProperty("bench.jfr")));
                recording.close();
            }
            run.require(done != null, "load generator: stopped during the timed requests");
            String[] d = done.split(" ");
            return new Timed(Integer.parseInt(d[1]), Integer.parseInt(d[2]), Long.parseLong(d[3]), load);
        } finally {
            generator.destroy();
            generator.waitFor();
        }
    }

    private static int send(HttpClient http, String path, List<String> requests, int inFlight) {
        AtomicInteger ok = new AtomicInteger();
        Flux.fromIterable(requests).flatMap(request -> {
            int tab = request.indexOf('\t');
            String authorization = request.substring(0, tab);
            byte[] body = request.substring(tab + 1).getBytes(StandardCharsets.UTF_8);
            return http.headers(h -> {
                h.set("Content-Type", "application/json");
                if (!authorization.equals("-")) {
                    h.set("Authorization", authorization);
                }
            }).post().uri(path).send(Mono.just(Unpooled.wrappedBuffer(body)))
                    .responseSingle((response, content) -> content.asString().defaultIfEmpty("").map(text -> {
                        if (response.status().code() / 100 == 2) {
                            ok.incrementAndGet();
                        } else {
                            System.err.println("refused: " + response.status() + " " + text);
                        }
                        return 1;
                    }))
                    .onErrorResume(e -> {
                        System.err.println("failed: " + e);
                        return Mono.just(0);
                    });
        }, inFlight).blockLast(Duration.ofMinutes(20));
        return ok.get();
    }
}
