package org.wardfleet.benchmark;

import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.attestation.EvidenceVerifier;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;

import reactor.core.publisher.Flux;

/**
 * Posture reports verified and evaluated per second through the HTTP API (device-JWT authentication, report
 * signature, nonce consumption, effective policy, evaluation, history write) against the raw ES256 verification of
 * the same reports on all cores, in the same JVM; and Android key-attestation chains verified per second.
 * Run: see docs/benchmarks.md. Not part of the test suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class ComplianceBenchmark {

    static final int N = Integer.getInteger("bench.reports", 2000);
    static final int DEVICES = 100;
    static final int THREADS = Runtime.getRuntime().availableProcessors();

    @Autowired TestApi api;
    @Autowired EvidenceVerifier evidence;
    @LocalServerPort int port;

    @Test
    void postureReportsPerSecondAgainstRawEs256() throws Exception {
        BenchmarkRun run = new BenchmarkRun("compliance benchmark", "compliance-benchmark.txt");
        TestApi.User admin = api.newOrganisation();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        List<TestDevice> devices = new ArrayList<>();
        String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                "maxUses", DEVICES)).get("secret");
        for (int i = 0; i < DEVICES; i++) {
            TestDevice d = TestDevice.p256();
            api.enroll(secret, d, "android", Map.of());
            devices.add(d);
        }
        // reports signed and nonces fetched before the clock starts: the devices' work is not the server's
        List<TestDevice> senders = new ArrayList<>();
        List<String> reports = Flux.range(0, N + 500).flatMap(i -> {
            TestDevice d = devices.get(i % DEVICES);
            return http.post().uri("/device/v1/attestation/challenge")
                    .header("Authorization", "Device " + d.jwt("POST", "/device/v1/attestation/challenge"))
                    .retrieve().bodyToMono(Map.class)
                    .map(c -> {
                        synchronized (senders) {
                            senders.add(d);
                        }
                        return i + "|" + d.signReport(posture((String) c.get("nonce")));
                    })
                    .onErrorResume(e -> {
                        System.out.println("challenge failed: " + e); // counted below: the run fails
                        return reactor.core.publisher.Mono.empty();
                    });
        }, 16).collectList().block(Duration.ofMinutes(5));
        run.require("reports signed over a fresh challenge", reports.size(), N + 500, "challenge refused or failed");
        List<TestDevice> byReport = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (String r : reports) {
            int i = Integer.parseInt(r.substring(0, r.indexOf('|')));
            byReport.add(devices.get(i % DEVICES));
            bodies.add(r.substring(r.indexOf('|') + 1));
        }
        List<String> authorizations = new ArrayList<>();
        for (TestDevice d : byReport) {
            authorizations.add("Device " + d.jwt("POST", "/device/v1/attestation"));
        }

        double raw = rawRate(bodies.subList(0, Math.min(N, bodies.size())), byReport);
        // the warm-up (the last 500), then the measured N, from a load generator in a JVM of its own
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        List<String> requests = new ArrayList<>();
        for (int i = N; i < N + 500; i++) {
            requests.add(authorizations.get(i) + "\t" + json.writeValueAsString(Map.of("report", bodies.get(i))));
        }
        for (int i = 0; i < N; i++) {
            requests.add(authorizations.get(i) + "\t" + json.writeValueAsString(Map.of("report", bodies.get(i))));
        }
        LoadGenerator.Timed timed = LoadGenerator.drive(run, port, "/device/v1/attestation", requests, 500, 32);
        run.require("reports verified, evaluated and stored", timed.ok(), N, "refused or failed");
        double httpRate = timed.perSecond();
        // the raw rate again after the HTTP run: the ratio uses their mean, so a load change in between hits both
        double rawAfter = rawRate(bodies.subList(0, Math.min(N, bodies.size())), byReport);
        double meanRaw = (raw + rawAfter) / 2;
        double chains = androidChainsPerSecond(run);
        String result = String.format("compliance benchmark: java %s, %d cores, %d reports from %d devices, load "
                        + "generator in its own JVM, load average %.1f%n"
                        + "  raw ES256 verification of the reports (%d threads): %.0f /s (mean of before and after)%n"
                        + "  HTTP POST /device/v1/attestation, verified + evaluated + stored: %.0f /s (%d ok)%n"
                        + "  ratio HTTP/raw: %.2f (goal >= 0.35, issue 24)%n"
                        + "  Android key-attestation chains verified (Sony factory chain, RSA-4096 root): %.0f /s%n",
                System.getProperty("java.version"), THREADS, N, DEVICES, timed.load(), THREADS, meanRaw, httpRate,
                timed.ok(), httpRate / meanRaw, chains);
        run.report(result);
    }

    private static double rawRate(List<String> reports, List<TestDevice> by) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                String report = reports.get(i);
                ECPublicKey key = (ECPublicKey) by.get(i).keys().getPublic();
                results.add(pool.submit(() -> JWSObject.parse(report).verify(new ECDSAVerifier(key))));
            }
            for (Future<Boolean> f : results) {
                if (!f.get()) {
                    throw new IllegalStateException("bad signature");
                }
            }
            return reports.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private double androidChainsPerSecond(BenchmarkRun run) throws Exception {
        List<byte[]> chain = new ArrayList<>();
        try (var in = getClass().getClassLoader().getResourceAsStream(
                "vectors/android-key-attestation/tee-locked-sony-xperia10iii-sdk33.pem")) {
            for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add(c.getEncoded());
            }
        }
        byte[] challenge = Base64.getDecoder().decode("Pq/k1d0AkN5aQrQytCSBr1zimWNlayWExZpJLeFtAMk=");
        Instant at = Instant.parse("2026-06-04T14:59:05Z");
        int n = 400;
        Flux.range(0, 50).flatMap(i -> evidence.androidKeyChain(chain, challenge, at), THREADS).blockLast();
        long start = System.nanoTime();
        long valid = Flux.range(0, n).flatMap(i -> evidence.androidKeyChain(chain, challenge, at), THREADS * 2)
                .filter(a -> a.valid()).count().block();
        run.require("Android key-attestation chains valid", valid, n, "a chain the verifier refused");
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static Map<String, Object> posture(String nonce) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("nonce", nonce);
        claims.put("osVersion", "15");
        claims.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(20).toString());
        claims.put("encrypted", true);
        claims.put("passcodeSet", true);
        claims.put("passcodeQuality", "complex");
        claims.put("rooted", false);
        claims.put("installedManagedApps", List.of("org.wardfleet.messaging"));
        return claims;
    }
}
