package org.wardfleet.benchmark;

import static org.wardfleet.benchmark.ReferenceRuns.connected;
import static org.wardfleet.benchmark.ReferenceRuns.done;
import static org.wardfleet.benchmark.ReferenceRuns.line;
import static org.wardfleet.benchmark.ReferenceRuns.settle;
import static org.wardfleet.benchmark.ReferenceRuns.simulator;
import static org.wardfleet.benchmark.ReferenceRuns.warmedUp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.console.sessions.BrowserSession;
import org.wardfleet.console.sessions.SessionStore;
import org.wardfleet.identity.SessionTokens;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

/**
 * The clinician app's live path at ward scale, against the devices' stream in the same run (issue 22). Two
 * organisations of {@code bench.users} (1,000) people each: in one, every person has the app open — an app session
 * and the per-user event stream ({@code GET /api/v1/messages/stream}, read in this JVM); in the other, every person
 * has one enrolled phone holding its device stream open and subscribed to messages ({@link FleetSimulator}'s
 * {@code ws} arm in its own JVM, as in {@link BroadcastBenchmark}). Each arm: streams opened, an untimed warm-up
 * broadcast to all of them, an idle benchmark ({@link ReferenceRuns#settle}), then the same STAT broadcast timed from
 * the send until each stream has its event (app: the {@code message} event; phone: its pushed copy, opened) —
 * p50/p99/max. The arms alternate over {@code bench.rounds} rounds (A B A B …), medians reported with the ratio
 * user-stream/device-stream; a stream without the event fails the run ({@link BenchmarkRun}). Not part of the suite
 * (tag "benchmark"); run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@WardfleetTest
class UserStreamBenchmark {

    static final int USERS = Integer.getInteger("bench.users", 1_000);
    /** Rounds of the two arms (app streams, device streams), interleaved; medians reported. */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /**
     * {@code -Dbench.dropApps=k}: the first k app streams ignore the timed broadcast (an injected fault, as
     * {@code -Dsim.dropReceipts} for the phones), so that the run's failure on incomplete work can be seen.
     */
    static final int DROP_APPS = Integer.getInteger("bench.dropApps", 0);
    /** An arm whose count stops moving this long ({@code bench.stallSeconds}, also the simulator's) is incomplete. */
    static final long STALL_SECONDS = BroadcastBenchmark.STALL_SECONDS;

    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @Autowired SessionStore sessions;
    @Autowired SessionTokens tokens;
    @LocalServerPort int port;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void oneBroadcastToAThousandOpenAppsAgainstTheDevicesStream() throws Exception {
        BenchmarkRun run = new BenchmarkRun("user-stream benchmark", "user-stream-benchmark.txt");
        StringBuilder out = new StringBuilder(String.format("user-stream benchmark: java %s, %d cores, %d open apps "
                + "(app session + per-user event stream, read in the server's JVM) vs %d phones (device stream open "
                + "and subscribed, copies pushed; simulator JVM), %d rounds%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), USERS, USERS, ROUNDS));
        WebClient http = BroadcastBenchmark.client(port);
        long setup = System.nanoTime();

        // the apps' organisation: people (cloned, no devices), an app session each
        TestApi.User apps = api.newOrganisation();
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(apps.token())).retrieve()
                .bodyToMono(Map.class).block(Duration.ofMinutes(1)).get("orgId");
        policies(http, apps);
        List<BrowserSession> people = new ArrayList<>();
        for (Document person : BroadcastBenchmark.people(db, api.createUser(apps.token(), "CLINICIAN"), USERS)) {
            people.add(session(orgId, person));
        }

        // the phones' organisation: people (cloned), one enrolled phone each
        TestApi.User fleet = api.newOrganisation();
        policies(http, fleet);
        Path devices = Path.of("target", "bench-user-stream-devices.tsv");
        int enrolled = BroadcastBenchmark.enrollPhones(http, db, fleet, BroadcastBenchmark.people(db,
                api.createUser(fleet.token(), "CLINICIAN"), USERS).stream().map(p -> p.getString("_id")).toList(),
                devices);
        out.append(String.format("  setup: %d app sessions, %d phones enrolled in %.0f s%n", people.size(), enrolled,
                (System.nanoTime() - setup) / 1e9));
        run.require("phones enrolled", enrolled, USERS, "enrollment refused or timed out");

        WebClient streams = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(
                        ConnectionProvider.builder("app-streams").maxConnections(USERS + 10).build()))).build();
        List<long[]> app = new ArrayList<>();
        List<long[]> device = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            out.append(String.format("  round %d of %d%n", round, ROUNDS));
            app.add(apps(run, out, http, streams, apps, people));
            device.add(devices(run, out, http, fleet, devices));
        }
        double[] a = medians(app);
        double[] d = medians(device);
        out.append(String.format("  medians over %d rounds, after the send: app streams p50 %.0f ms, p99 %.0f ms, "
                + "max %.0f ms; device streams p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", ROUNDS, a[0], a[1], a[2], d[0],
                d[1], d[2]));
        out.append(String.format("  ratio user-stream/device-stream: p50 %.2f, p99 %.2f, max %.2f%n", a[0] / d[0],
                a[1] / d[1], a[2] / d[2]));
        run.report(out.toString());
    }

    /**
     * One app-stream run: a fresh token per session (tokens last 5 minutes), every stream opened, an untimed warm-up
     * broadcast to all, an idle wait, the timed broadcast. Returns p50, p99, max in ms after the send.
     */
    private long[] apps(BenchmarkRun run, StringBuilder out, WebClient http, WebClient client, TestApi.User sender,
            List<BrowserSession> people) throws Exception {
        List<String> bearer = Flux.fromIterable(people)
                .concatMap(p -> tokens.issue(p.caller(), p.id()).map(SessionTokens.SessionToken::value))
                .collectList().block(Duration.ofMinutes(5));
        AtomicReference<Arrivals> phase = new AtomicReference<>(new Arrivals(false, USERS));
        CountDownLatch connected = new CountDownLatch(USERS);
        AtomicInteger failed = new AtomicInteger();
        Disposable.Composite streams = Disposables.composite();
        try {
            for (int i = 0; i < USERS; i++) {
                int who = i;
                streams.add(client.get().uri("/api/v1/messages/stream")
                        .headers(h -> h.setBearerAuth(bearer.get(who)))
                        .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                        .subscribe(e -> {
                            if ("connected".equals(e.comment())) {
                                connected.countDown();
                            } else if ("message".equals(e.event())) {
                                Arrivals now = phase.get();
                                if (!(now.timed && who < DROP_APPS)) {
                                    now.has(who);
                                }
                            }
                        }, e -> failed.incrementAndGet()));
            }
            run.require(connected.await(5, TimeUnit.MINUTES), "app streams: only " + (USERS - connected.getCount())
                    + " of " + USERS + " connected within 5 minutes (" + failed.get() + " refused or failed)");
            Arrivals warm = phase.get();
            BroadcastBenchmark.broadcast(http, sender);
            run.require("app streams with the warm-up broadcast", warm.await(), USERS,
                    "no new event for " + STALL_SECONDS + " s");
            double load = settle();
            Arrivals timed = new Arrivals(true, USERS);
            phase.set(timed);
            long t0 = System.currentTimeMillis();
            BroadcastBenchmark.broadcast(http, sender);
            run.require("app streams with the broadcast", timed.await(), USERS,
                    "no new event for " + STALL_SECONDS + " s; " + failed.get() + " streams failed");
            long[] q = FleetSimulator.quantiles(new ArrayList<>(timed.at.values()));
            return result(out, "app streams", load, q[1] - t0, q[2] - t0, q[3] - t0);
        } finally {
            streams.dispose();
        }
    }

    /**
     * One device-stream run, as {@link BroadcastBenchmark}'s: a simulator JVM connects and subscribes every phone's
     * stream, an untimed warm-up broadcast reaches all, an idle wait, the timed broadcast; the simulator reports when
     * each phone had its copy. Returns p50, p99, max in ms after the send.
     */
    private long[] devices(BenchmarkRun run, StringBuilder out, WebClient http, TestApi.User sender, Path devices)
            throws Exception {
        Process sim = simulator("ws", String.valueOf(port), devices.toAbsolutePath().toString(), "keys,stream,push");
        try {
            BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                    StandardCharsets.UTF_8));
            connected(run, "device-stream", simOut, USERS);
            BroadcastBenchmark.broadcast(http, sender);
            warmedUp(run, "device-stream", simOut, USERS);
            double load = settle(sim.pid());
            long t0 = System.currentTimeMillis();
            BroadcastBenchmark.broadcast(http, sender);
            String[] d = done(run, "device-stream", line(simOut, "DONE"), USERS); // DONE all n first p50 p99 last
            return result(out, "device streams", load, Long.parseLong(d[4]) - t0, Long.parseLong(d[5]) - t0,
                    Long.parseLong(d[6]) - t0);
        } finally {
            sim.destroy();
            sim.waitFor();
        }
    }

    private static long[] result(StringBuilder out, String arm, double load, long p50, long p99, long max) {
        out.append(String.format("    %s (load %.1f): all %d had it; p50 %d ms, p99 %d ms, max %d ms after the send%n",
                arm, load, USERS, p50, p99, max));
        return new long[] {p50, p99, max};
    }

    private static double[] medians(List<long[]> rounds) {
        double[] m = new double[3];
        for (int i = 0; i < 3; i++) {
            int k = i;
            m[i] = BenchmarkRun.median(rounds.stream().map(r -> r[k]).toList());
        }
        return m;
    }

    /** The organisation's baseline policies are installed on first use: before the benchmark, not during it. */
    private static void policies(WebClient http, TestApi.User admin) {
        http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).retrieve().toBodilessEntity()
                .block(Duration.ofMinutes(1));
    }

    /** A clinician with the app open: an app session for a (cloned) user, no password sign-in per person. */
    private BrowserSession session(String orgId, Document person) {
        Caller caller = new Caller(person.getString("_id"), orgId, person.getString("email"), Set.of(Role.CLINICIAN));
        Instant now = Instant.now();
        BrowserSession session = new BrowserSession(UUID.randomUUID().toString(), "app", caller,
                SignIns.Method.PASSWORD, "csrf", now, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));
        sessions.insert(session).block();
        return session;
    }

    /** When each app stream had one broadcast's {@code message} event (epoch ms, first event per stream). */
    private static final class Arrivals {
        final Map<Integer, Long> at = new ConcurrentHashMap<>();
        final CountDownLatch all;
        final boolean timed;

        Arrivals(boolean timed, int n) {
            this.timed = timed;
            all = new CountDownLatch(n);
        }

        void has(int stream) {
            if (at.putIfAbsent(stream, System.currentTimeMillis()) == null) {
                all.countDown();
            }
        }

        /** Waits until every stream has it or none got it for the stall time; returns how many have it. */
        long await() throws InterruptedException {
            FleetSimulator.await(all, new AtomicLong(0), STALL_SECONDS);
            return at.size();
        }
    }
}
