package org.wardfleet.benchmark;

import static org.wardfleet.benchmark.ReferenceRuns.settle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
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
 * Page to one connected device (issue 24): {@code bench.devices} (1,000; 10,000 for the second target) people with one
 * enrolled phone each, every phone holding its device stream open, subscribed to messages and holding a message key,
 * in a {@link FleetSimulator} JVM (mode {@code each}) — the path the SDK takes. One doctor pages {@code bench.pages}
 * (200) different people one after another ({@code POST /api/v1/pages}, STAT, one every {@code bench.gapMs} after the
 * previous was accepted); the latency of each is from just before the POST until the recipient's phone has opened its
 * pushed copy (the simulator's clock, same machine), p50/p99/max. Goal: p99 &lt; 50 ms at 1,000 devices, &lt; 250 ms at
 * 10,000. Reference in the same run, interleaved with the pages: an authenticated {@code GET /api/v1/me} round trip
 * (so the ratio page/round trip says how much of a page is more than a request on this machine at this load). A page
 * whose copy the phone did not open within {@code bench.stallSeconds} fails the run ({@link BenchmarkRun}).
 * {@code -Dbench.jfr=file}: a flight recording of the timed pages. Not part of the suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class PageLatencyBenchmark {

    static final int DEVICES = Integer.getInteger("bench.devices", 1_000);
    static final int PAGES = Integer.getInteger("bench.pages", 200);
    static final int WARMUPS = Integer.getInteger("bench.warmups", 50);
    static final long GAP_MS = Long.getLong("bench.gapMs", 50);
    /** {@code -Dbench.dropPages=k}: the first k timed pages go to a person without a phone (incomplete: must fail). */
    static final int DROP_PAGES = Integer.getInteger("bench.dropPages", 0);

    @DynamicPropertySource
    static void streams(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.push.max-stream-connections", () -> String.valueOf(DEVICES + 1000));
    }

    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @LocalServerPort int port;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void pageToOneConnectedDevice() throws Exception {
        BenchmarkRun run = new BenchmarkRun("page latency benchmark", "page-latency-benchmark.txt");
        StringBuilder out = new StringBuilder(String.format("page latency benchmark: java %s, %d cores, %d connected "
                + "devices (stream open, subscribed, message key; simulator JVM), %d pages to one person each%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), DEVICES, PAGES));
        WebClient http = BroadcastBenchmark.client(port);
        try (ConnectedFleet fleet = ConnectedFleet.enroll(run, api, db, http, DEVICES, "page")) {
            out.append(String.format("  setup: %d phones enrolled in %.0f s%n", fleet.phones.size(),
                    fleet.enrollSeconds));
            fleet.connect(run, port, "page latency");
            out.append(measure(run, api, http, fleet, PAGES, WARMUPS));
            run.report(out.toString());
        }
    }

    /**
     * The measurement on a connected fleet (also run by {@link IdleConnectionMemoryBenchmark} with
     * {@code -Dbench.alsoPages=n}, on its 10,000 phones): untimed warm-up pages to the last {@code warmups} phones, an
     * idle benchmark, then {@code pages} pages to the first phones, one person each; returns the report's lines.
     */
    static String measure(BenchmarkRun run, TestApi api, WebClient http, ConnectedFleet fleet, int pages,
            int warmups) throws Exception {
        run.require(pages + warmups <= fleet.phones.size(), "bench.pages + bench.warmups must not exceed the devices");
        TestApi.User admin = ConnectedFleet.fresh(api, fleet.admin);
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User nobody = api.createUser(admin.token(), "CLINICIAN"); // no phone: -Dbench.dropPages
        List<String[]> phones = fleet.phones;
        int devices = phones.size();
        fleet.got.clear();
        List<String[]> warm = phones.subList(devices - warmups, devices);
        for (String[] phone : warm) {
            page(http, doctor, phone[1]);
        }
        run.require("warm-up pages opened on their phone", fleet.waitFor(warm), warmups,
                "no new copy opened for " + BroadcastBenchmark.STALL_SECONDS + " s");
        double load = settle(fleet.pid());

        jdk.jfr.Recording recording = null;
        if (System.getProperty("bench.jfr") != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration(
                    System.getProperty("bench.jfrSettings", "profile")));
            recording.start();
        }
        List<String[]> timed = phones.subList(0, pages);
        Map<String, long[]> sent = new ConcurrentHashMap<>(); // device → send, accepted (epoch ms)
        List<Long> roundTrips = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
            String[] phone = timed.get(i);
            long t0 = System.currentTimeMillis();
            page(http, doctor, i < DROP_PAGES ? nobody.id() : phone[1]);
            sent.put(phone[0], new long[] {t0, System.currentTimeMillis()});
            Thread.sleep(GAP_MS);
            long r0 = System.nanoTime();
            http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(doctor.token())).retrieve()
                    .toBodilessEntity().block(Duration.ofMinutes(1));
            roundTrips.add((System.nanoTime() - r0) / 1_000_000);
            Thread.sleep(GAP_MS);
        }
        long opened = fleet.waitFor(timed);
        if (recording != null) {
            recording.stop();
            recording.dump(Path.of(System.getProperty("bench.jfr")));
            recording.close();
        }
        run.require("pages opened on their phone", opened, pages, "no new copy opened for "
                + BroadcastBenchmark.STALL_SECONDS + " s");

        List<Long> fromSend = new ArrayList<>();
        List<Long> fromAccept = new ArrayList<>();
        sent.forEach((device, t) -> {
            fromSend.add(fleet.got.get(device) - t[0]);
            fromAccept.add(fleet.got.get(device) - t[1]);
        });
        long[] s = q(fromSend);
        long[] a = q(fromAccept);
        long[] r = q(roundTrips);
        double goal = devices >= 10_000 ? 250 : 50;
        return String.format("  %d pages to %d connected devices; load average at the start of the timed pages: "
                        + "%.1f%n  send to opened on the phone: p50 %d ms, p99 %d ms, max %d ms (accepted to opened: "
                        + "p50 %d, p99 %d, max %d)%n  reference, GET /api/v1/me round trip interleaved: p50 %d ms, p99 "
                        + "%d ms, max %d ms%n  ratio page/round trip: p50 %.2f, p99 %.2f%n  goal: p99 send-to-device "
                        + "< %.0f ms at %d devices: %s%n", pages, devices, load, s[0], s[1], s[2], a[0], a[1], a[2],
                r[0], r[1], r[2], s[0] / (double) Math.max(1, r[0]), s[1] / (double) Math.max(1, r[1]), goal, devices,
                s[1] < goal ? "PASS" : "MISS");
    }

    /** A STAT page to one person, as a clinician sends it. */
    private static void page(WebClient http, TestApi.User doctor, String userId) {
        http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(doctor.token()))
                .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                .bodyValue(Map.of("to", Map.of("userId", userId), "text", "Please call ward 7 about bed 12",
                        "priority", "STAT"))
                .retrieve().toBodilessEntity().block(Duration.ofMinutes(1));
    }

    /** p50, p99, max (nearest rank). */
    private static long[] q(List<Long> values) {
        long[] f = FleetSimulator.quantiles(values);
        return new long[] {f[1], f[2], f[3]};
    }
}
