package org.wardfleet.benchmark;

import java.net.URI;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Page delivery latency with 1,000 connected simulated devices (100 clinicians with 10 devices each): from the
 * moment the API accepted a page to the moment a device has fetched and decrypted it, p50/p99 over all deliveries;
 * against a baseline in the same run: the same fetch + decrypt done immediately after acceptance, without the
 * stream notification in front. Run: see docs/benchmarks.md. Not part of the suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class PageLatencyBenchmark {

    static final int USERS = Integer.getInteger("bench.users", 100);
    static final int PER_USER = Integer.getInteger("bench.devicesPerUser", 10);
    static final int PAGES = Integer.getInteger("bench.pages", 100);

    @Autowired TestApi api;
    @LocalServerPort int port;

    record Phone(TestDevice device, String userId, AtomicLong cursor) {
    }

    @Test
    void pageLatency() throws Exception {
        BenchmarkRun run = new BenchmarkRun("page latency benchmark", "page-latency-benchmark.txt");
        TestApi.User admin = api.newOrganisation();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        List<String> users = new ArrayList<>();
        List<Phone> phones = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
            users.add(clinician.id());
            String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                    "assignedUserId", clinician.id(), "maxUses", PER_USER)).get("secret");
            for (int d = 0; d < PER_USER; d++) {
                TestDevice device = TestDevice.p256();
                api.enroll(secret, device, "android", Map.of(), clinician.token()); // signed in: bound to them
                phones.add(new Phone(device, clinician.id(), new AtomicLong()));
            }
        }
        Map<String, String> conversations = new ConcurrentHashMap<>();
        for (String user : users) {
            conversations.put(user, (String) http.post().uri("/api/v1/conversations")
                    .headers(h -> h.setBearerAuth(doctor.token())).bodyValue(Map.of("participants", List.of(user)))
                    .retrieve().bodyToMono(Map.class).block().get("id"));
        }

        // baseline: page, then fetch + decrypt at once on the recipient's devices (no notification in front)
        List<Double> baseline = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < Math.min(PAGES, 50); i++) {
            String user = users.get(i % USERS);
            long accepted = page(http, doctor, conversations.get(user), i);
            Flux.fromIterable(phones).filter(p -> p.userId().equals(user))
                    .flatMap(p -> fetchAndDecrypt(http, p).doOnNext(n -> baseline.add((System.nanoTime() - accepted)
                            / 1e6)))
                    .blockLast(Duration.ofMinutes(1));
        }

        // connect every device's stream; on a message event the device fetches and decrypts
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch connected = new CountDownLatch(phones.size());
        CountDownLatch delivered = new CountDownLatch(PAGES * PER_USER);
        Disposable.Composite streams = Disposables.composite();
        ReactorNettyWebSocketClient ws = new ReactorNettyWebSocketClient(reactor.netty.http.client.HttpClient
                .create(reactor.netty.resources.ConnectionProvider.newConnection()));
        for (Phone p : phones) {
            HttpHeaders headers = new HttpHeaders();
            headers.set("Authorization", "Device " + p.device().jwt("GET", "/device/v1/stream"));
            streams.add(ws.execute(URI.create("ws://127.0.0.1:" + port + "/device/v1/stream"), headers,
                    session -> session.receive().map(WebSocketMessage::getPayloadAsText)
                            .concatMap(event -> {
                                if (event.contains("\"hello\"")) {
                                    connected.countDown();
                                    return Mono.empty();
                                }
                                if (!event.contains("\"message\"")) {
                                    return Mono.empty();
                                }
                                return fetchAndDecrypt(http, p).doOnNext(ids -> {
                                    long now = System.nanoTime();
                                    for (String id : ids) {
                                        Long at = acceptedAt.get(id);
                                        if (at != null) {
                                            latencies.add((now - at) / 1e6);
                                            delivered.countDown();
                                        }
                                    }
                                });
                            }).then()).subscribe());
        }
        run.require(connected.await(2, TimeUnit.MINUTES), (phones.size() - connected.getCount()) + " of "
                + phones.size() + " device streams connected within 2 minutes");
        run.require("baseline deliveries (fetch + decrypt at once)", baseline.size(),
                (long) Math.min(PAGES, 50) * PER_USER, "a fetch did not return the page");
        long start = System.nanoTime();
        for (int i = 0; i < PAGES; i++) {
            String user = users.get(i % USERS);
            String key = "bench-" + i;
            String id = (String) http.post().uri("/api/v1/conversations/" + conversations.get(user) + "/messages")
                    .headers(h -> h.setBearerAuth(doctor.token())).header("Idempotency-Key", key)
                    .bodyValue(Map.of("text", "Page " + i + ": please call the ward", "priority", "STAT",
                            "requiresAck", true)).retrieve().bodyToMono(Map.class).block().get("id");
            acceptedAt.put(id, System.nanoTime());
            Thread.sleep(20);
        }
        boolean all = delivered.await(3, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        streams.dispose();
        run.require("deliveries via stream notification", latencies.size(), (long) PAGES * PER_USER,
                "not fetched and decrypted within 3 minutes of the last page");

        Collections.sort(latencies);
        List<Double> base = new ArrayList<>(baseline);
        Collections.sort(base);
        String result = String.format("page latency benchmark: java %s, %d cores, %d connected devices (%d users x %d)"
                        + "%n  baseline (page, then immediate fetch + decrypt, no stream): p50 %.0f ms, p99 %.0f ms"
                        + "%n  %d pages via stream notification: %s deliveries in %.1f s; p50 %.0f ms, p99 %.0f ms,"
                        + " max %.0f ms%n  ratio p50 stream/baseline: %.2f%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), phones.size(), USERS,
                PER_USER, pct(base, 50), pct(base, 99), PAGES, all ? "all " + latencies.size()
                        : "only " + latencies.size(), seconds, pct(latencies, 50), pct(latencies, 99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), pct(latencies, 50) / pct(base, 50));
        run.report(result);
    }

    private static long page(WebClient http, TestApi.User doctor, String conversation, int i) {
        http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(doctor.token())).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("text", "Baseline page " + i, "priority", "STAT", "requiresAck", true))
                .retrieve().bodyToMono(Map.class).block();
        return System.nanoTime();
    }

    /** Fetches after the phone's cursor, decrypts each message; returns the ids. */
    private static Mono<List<String>> fetchAndDecrypt(WebClient http, Phone p) {
        return http.get().uri("/device/v1/messages?after=" + p.cursor().get())
                .header("Authorization", "Device " + p.device().jwt("GET", "/device/v1/messages"))
                .retrieve().bodyToMono(Map.class)
                .map(inbox -> {
                    List<String> ids = new ArrayList<>();
                    for (Object o : (List<?>) inbox.get("messages")) {
                        Map<?, ?> m = (Map<?, ?>) o;
                        try {
                            JWEObject jwe = JWEObject.parse((String) m.get("jwe"));
                            jwe.decrypt(new ECDHDecrypter((ECPrivateKey) p.device().keys().getPrivate()));
                            ids.add((String) jwe.getPayload().toJSONObject().get("id"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    p.cursor().set(Long.parseLong((String) inbox.get("cursor")));
                    return ids;
                });
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1,
                (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
