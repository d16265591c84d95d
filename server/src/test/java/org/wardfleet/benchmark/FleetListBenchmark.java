package org.wardfleet.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Devices;
import org.wardfleet.device.NewDevice;
import org.wardfleet.device.Ownership;
import org.wardfleet.support.ConsoleForms;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import reactor.core.publisher.Flux;

/**
 * The console's fleet list over 10,000 devices of one organisation: how long a page takes, served whole (HTML through
 * the console's session, compliance of the page's devices and the names of their people included), for the first,
 * a middle and the last page, and with filters. Goal: under 300 ms a page. Run: see docs/benchmarks.md; not part of
 * the test suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class FleetListBenchmark {

    static final int DEVICES = Integer.getInteger("bench.devices", 10_000);
    static final int ROUNDS = 15;

    @Autowired TestApi api;
    @Autowired Devices devices;
    @Autowired WebTestClient http;

    @Test
    @Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aPageOfTenThousandDevices() throws Exception {
        BenchmarkRun run = new BenchmarkRun("fleet list benchmark", "fleet-list-benchmark.txt");
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        List<String> people = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            people.add(api.createUser(admin.token(), "CLINICIAN").id());
        }
        Random random = new Random(42);
        long started = System.nanoTime();
        long registered = Flux.range(0, DEVICES).flatMap(i -> devices.register(device(orgId, i, random, people)), 16)
                .count().block(Duration.ofMinutes(10));
        run.require("devices registered", registered, DEVICES, "registration failed");
        double seconds = (System.nanoTime() - started) / 1e9;
        ConsoleForms.Session session = ConsoleForms.signIn(http, admin.email(), admin.password());

        StringBuilder report = new StringBuilder(String.format("Fleet list, %d devices (registered in %.1f s)%n",
                DEVICES, seconds));
        int last = (DEVICES - 1) / 50;
        for (String[] page : new String[][] {{"first page", "/console/devices"},
                {"middle page", "/console/devices?page=" + last / 2},
                {"last page", "/console/devices?page=" + last},
                {"BYOD, page 2", "/console/devices?ownership=BYOD&page=1"},
                {"not seen for 7 days", "/console/devices?seen=stale7d"},
                {"search a serial", "/console/devices?q=SN-0004242"},
                {"search a person", "/console/devices?q=clinician"},
                {"compliance unknown", "/console/devices?compliance=UNKNOWN"},
                {"API page (JSON)", "/api/v1/devices?page=100&size=50"},
                {"first page, again", "/console/devices"}}) {
            report.append(measure(page[0], page[1], session, admin.token())).append('\n');
        }
        run.report(report.append('\n').toString());
    }

    private String measure(String name, String uri, ConsoleForms.Session session, String token) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < ROUNDS + 3; i++) {
            long start = System.nanoTime();
            var request = http.get().uri(uri);
            (uri.startsWith("/api") ? request.headers(h -> h.setBearerAuth(token))
                    : request.cookie("wardfleet_console", session.cookie()))
                    .exchange().expectStatus().isOk().expectBody().returnResult();
            if (i >= 3) { // the first three warm the path up
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        millis.sort(Long::compare);
        return String.format("%-22s median %4d ms   p90 %4d ms   max %4d ms", name, millis.get(millis.size() / 2),
                millis.get((int) (millis.size() * 0.9)), millis.get(millis.size() - 1));
    }

    private static NewDevice device(String orgId, int i, Random random, List<String> people) {
        Ownership ownership = Ownership.values()[random.nextInt(3)];
        String person = ownership == Ownership.SHARED ? null : people.get(random.nextInt(people.size()));
        return new NewDevice(UUID.randomUUID().toString(), orgId, ownership,
                random.nextBoolean() ? DevicePlatform.ANDROID : DevicePlatform.IOS, "Model " + (i % 17), "15",
                "2026-10-05", "1.0.0", person, List.of("Ward " + (i % 12)), String.format("%032x", (long) i * 7919),
                java.time.Instant.now().plus(Duration.ofDays(365)), "unused-public-key",
                new Device.Hardware(String.format("SN-%07d", i), null), "benchmark", person != null);
    }

    private String orgOf(TestApi.User admin) {
        return (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(java.util.Map.class).returnResult().getResponseBody().get("orgId");
    }
}
