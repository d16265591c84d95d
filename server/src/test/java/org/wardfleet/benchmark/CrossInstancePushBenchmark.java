package org.wardfleet.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.platform.mongo.EmbeddedDatabase;
import org.wardfleet.sdk.DeviceClient;
import org.wardfleet.sdk.DeviceStream;
import org.wardfleet.support.RunningServer;
import org.wardfleet.support.SdkPhone;
import org.wardfleet.support.TestApi;

/**
 * Send-to-device latency of a pushed copy (issue 25) for a phone whose stream is on the instance that accepted the
 * send against one whose stream is on another instance (the copy crosses through {@code device_signals} and that
 * instance's change stream): two instances on one database (the second in external mode, as behind a load
 * balancer), one message at a time to a conversation with both phones, from just before the API call to the
 * {@code deliver} event on each phone's stream; every copy is then decrypted and checked. Reports p50/p99 of each
 * and the ratio other/same. Run: see docs/benchmarks.md. Not part of the suite (tag "benchmark").
 */
@Tag("benchmark")
class CrossInstancePushBenchmark {

    static final int MESSAGES = Integer.getInteger("bench.messages", 200);
    static final int WARMUP = Integer.getInteger("bench.warmup", 20);
    static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
    void pushThroughAnotherInstance() throws Exception {
        BenchmarkRun run = new BenchmarkRun("cross-instance push benchmark", "cross-instance-push-benchmark.txt");
        try (RunningServer a = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY"));
                RunningServer b = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                        "wardfleet.mongodb.uri", a.bean(EmbeddedDatabase.class).uriWithCredentials()))) {
            TestApi api = TestApi.of(a);
            TestApi.User admin = api.newOrganisation();
            SdkPhone doctor = SdkPhone.enroll(api, admin, a.port());
            SdkPhone same = SdkPhone.enroll(api, admin, a.port());
            SdkPhone other = SdkPhone.enroll(api, admin, b.port());
            DeviceClient.MessageKey sameKey = same.client().requestMessageKey(same.keys());
            DeviceClient.MessageKey otherKey = other.client().requestMessageKey(other.keys());
            Map<String, Long> sameAt = new ConcurrentHashMap<>();
            Map<String, Long> otherAt = new ConcurrentHashMap<>();
            Map<String, String> sameEvents = new ConcurrentHashMap<>();
            Map<String, String> otherEvents = new ConcurrentHashMap<>();
            List<String> sameAll = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> otherAll = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (DeviceStream s1 = same.client().openStream(e -> heard(e, sameAt, sameEvents, sameAll));
                    DeviceStream s2 = other.client().openStream(e -> heard(e, otherAt, otherEvents, otherAll))) {
                subscribe(s1, sameAll);
                subscribe(s2, otherAll);
                WebTestClient http = a.http();
                String conversation = (String) http.post().uri("/api/v1/conversations")
                        .headers(h -> h.setBearerAuth(doctor.user().token()))
                        .bodyValue(Map.of("participants", List.of(same.user().id(), other.user().id())))
                        .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                        .getResponseBody().get("id");
                List<Long> sameMs = new ArrayList<>();
                List<Long> otherMs = new ArrayList<>();
                int failed = 0;
                String why = "";
                for (int i = 0; i < WARMUP + MESSAGES; i++) {
                    long start = System.nanoTime();
                    String id = (String) http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                            .headers(h -> h.setBearerAuth(doctor.user().token()))
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .bodyValue(Map.of("text", "Bed " + i, "priority", "URGENT", "requiresAck", false))
                            .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                            .getResponseBody().get("id");
                    try {
                        Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                                .until(() -> sameAt.containsKey(id) && otherAt.containsKey(id));
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        failed++;
                        why = "no deliver event within 60 s for message " + i;
                        continue;
                    }
                    if (!text(same, sameKey, sameEvents.get(id)).equals("Bed " + i)
                            || !text(other, otherKey, otherEvents.get(id)).equals("Bed " + i)) {
                        failed++;
                        why = "a pushed copy did not decrypt to what was sent";
                        continue;
                    }
                    if (i >= WARMUP) {
                        sameMs.add((sameAt.get(id) - start) / 1_000_000);
                        otherMs.add((otherAt.get(id) - start) / 1_000_000);
                    }
                }
                run.require("messages pushed to both phones", WARMUP + MESSAGES - failed, WARMUP + MESSAGES, why);
                run.require(otherAll.stream().noneMatch(e -> e.contains("\"reason\":\"message\"")),
                        "the phone on the other instance was woken instead of pushed");
                long sameP50 = percentile(sameMs, 50);
                long sameP99 = percentile(sameMs, 99);
                long otherP50 = percentile(otherMs, 50);
                long otherP99 = percentile(otherMs, 99);
                run.report(String.format("cross-instance push: %d messages (after %d warm-up), two instances, one "
                        + "database%n  same instance:  p50 %d ms, p99 %d ms%n  other instance: p50 %d ms, p99 %d ms%n"
                        + "  ratio other/same: p50 %.2f, p99 %.2f%n", MESSAGES, WARMUP, sameP50, sameP99, otherP50,
                        otherP99, otherP50 / (double) Math.max(1, sameP50), otherP99 / (double) Math.max(1, sameP99)));
            }
        }
    }

    private static void heard(String event, Map<String, Long> at, Map<String, String> events, List<String> all) {
        long now = System.nanoTime();
        all.add(event);
        if (event.startsWith("{\"type\":\"deliver\"")) {
            Matcher m = ID.matcher(event);
            if (m.find()) {
                at.putIfAbsent(m.group(1), now);
                events.putIfAbsent(m.group(1), event);
            }
        }
    }

    private static void subscribe(DeviceStream stream, List<String> events) {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> events.stream().anyMatch(e -> e.contains("hello")));
        stream.subscribeMessages();
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> events.stream().anyMatch(e -> e.contains("subscribed")));
    }

    private static String text(SdkPhone phone, DeviceClient.MessageKey key, String event) {
        return phone.client().readPushed(key, event).messages().get(0).text();
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
