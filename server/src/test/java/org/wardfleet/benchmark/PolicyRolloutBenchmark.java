package org.wardfleet.benchmark;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.wardfleet.sdk.PolicyVerifier;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publish a policy change to N connected simulated devices; each, on its stream's sync event, fetches its policy,
 * verifies the JWS with the SDK and reports it applied. Measures the time until all have applied, p50/p99 per device,
 * against a baseline in the same run: the same devices fetching, verifying and reporting with no publish or
 * notification in front. Run: see docs/benchmarks.md. Not part of the test suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class PolicyRolloutBenchmark {

    static final int N = Integer.getInteger("bench.devices", 1000);

    @Autowired TestApi api;
    @LocalServerPort int port;

    @Test
    void publishToConnectedDevices() throws Exception {
        BenchmarkRun run = new BenchmarkRun("policy rollout benchmark", "policy-rollout-benchmark.txt");
        TestApi.User admin = api.newOrganisation();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        String keys;
        List<TestDevice> devices = new ArrayList<>();
        for (int i = 0; i < N; i += 1000) {
            String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform",
                    "android", "maxUses", Math.min(1000, N - i))).get("secret");
            List<TestDevice> batch = new ArrayList<>();
            for (int j = 0; j < Math.min(1000, N - i); j++) {
                batch.add(TestDevice.p256());
            }
            Flux.fromIterable(batch).flatMap(d -> http.post().uri("/device/v1/enroll")
                    .bodyValue(Map.of("token", secret, "csr", d.csrPem(), "platform", "android"))
                    .retrieve().bodyToMono(Map.class).doOnNext(r -> d.enrolledAs((String) r.get("deviceId"))), 16)
                    .blockLast(Duration.ofMinutes(5));
            devices.addAll(batch);
        }
        keys = get(http, devices.get(0), "/device/v1/policy/jwks").block();

        // baseline: every device fetches, verifies and reports, with nothing in front (second pass: warm JIT)
        Flux.fromIterable(devices).flatMap(d -> applyPolicy(http, d, keys), 64).blockLast(Duration.ofMinutes(5));
        long baselineStart = System.nanoTime();
        Flux.fromIterable(devices).flatMap(d -> applyPolicy(http, d, keys), 64).blockLast(Duration.ofMinutes(5));
        double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;

        // connect every device's stream
        Map<String, Long> appliedAt = new ConcurrentHashMap<>();
        CountDownLatch connected = new CountDownLatch(N);
        CountDownLatch applied = new CountDownLatch(N);
        Disposable.Composite streams = Disposables.composite();
        // one connection per device, not the default pool of 500
        ReactorNettyWebSocketClient ws = new ReactorNettyWebSocketClient(
                reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.newConnection()));
        for (TestDevice d : devices) {
            HttpHeaders headers = new HttpHeaders();
            headers.set("Authorization", "Device " + d.jwt("GET", "/device/v1/stream"));
            streams.add(ws.execute(URI.create("ws://127.0.0.1:" + port + "/device/v1/stream"), headers,
                    session -> session.receive().map(WebSocketMessage::getPayloadAsText)
                            .concatMap(event -> {
                                if (event.contains("\"hello\"")) {
                                    connected.countDown();
                                    return Mono.empty();
                                }
                                if (!event.contains("\"sync\"")) {
                                    return Mono.empty();
                                }
                                return applyPolicy(http, d, keys).doOnSuccess(v -> {
                                    if (appliedAt.putIfAbsent(d.deviceId(), System.nanoTime()) == null) {
                                        applied.countDown();
                                    }
                                });
                            }).then()).subscribe());
        }
        run.require(connected.await(2, TimeUnit.MINUTES), (N - connected.getCount()) + " of " + N
                + " device streams connected within 2 minutes");

        String policyId = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("apiVersion: wardfleet.org/policy/v1\nkind: Policy\nname: bench\nsettings:\n"
                        + "  passcode:\n    minLength: 11\n").retrieve().bodyToMono(Map.class).block().get("id");
        http.post().uri("/api/v1/policies/" + policyId + "/publish").headers(h -> h.setBearerAuth(admin.token()))
                .retrieve().toBodilessEntity().block();
        long start = System.nanoTime();
        http.post().uri("/api/v1/policies/" + policyId + "/assignments").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("ownership", "COPE", "priority", 1)).retrieve().toBodilessEntity().block();
        boolean all = applied.await(5, TimeUnit.MINUTES);
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        streams.dispose();
        run.require("devices that applied the policy via stream notification", appliedAt.size(), N,
                "not applied within 5 minutes of the assignment");

        List<Double> latencies = new ArrayList<>();
        appliedAt.values().forEach(t -> latencies.add((t - start) / 1e6));
        Collections.sort(latencies);
        String result = String.format("policy rollout benchmark: java %s, %d cores, %d connected devices%n"
                        + "  baseline (fetch + verify + report, 64 in flight, no notification): %.2f s%n"
                        + "  assignment -> all applied via stream notification: %.2f s (%s)%n"
                        + "  per device: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n"
                        + "  ratio rollout/baseline: %.2f%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), N, baselineSeconds,
                totalSeconds, all ? "all " + N : "only " + appliedAt.size(), percentile(latencies, 50),
                percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
                totalSeconds / baselineSeconds);
        run.report(result);
    }

    private Mono<Void> applyPolicy(WebClient http, TestDevice d, String keys) {
        return get(http, d, "/device/v1/policy").map(jws -> {
            try {
                return new PolicyVerifier(d.deviceId(), keys).verify(jws).version();
            } catch (PolicyVerifier.PolicyRejectedException e) {
                throw new IllegalStateException(e);
            }
        }).flatMap(version -> http.post().uri("/device/v1/policy/status")
                .header("Authorization", "Device " + d.jwt("POST", "/device/v1/policy/status"))
                .bodyValue(Map.of("version", version, "results", List.of(Map.of("setting", "passcode.minLength",
                        "status", "APPLIED")))).retrieve().toBodilessEntity()).then();
    }

    private static Mono<String> get(WebClient http, TestDevice d, String path) {
        return http.get().uri(path).header("Authorization", "Device " + d.jwt("GET", path)).retrieve()
                .bodyToMono(String.class);
    }

    private static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
