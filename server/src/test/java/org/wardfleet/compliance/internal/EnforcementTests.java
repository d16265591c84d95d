package org.wardfleet.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.Devices;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.push.DeviceWake;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.sun.net.httpserver.HttpServer;

import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ladder advances with the (injected) time, runs each step once even with two engines racing, survives a
 * "restart" (a new engine picks up the stored steps), and is lifted when the device is compliant again; security
 * events stream to IT and reach a signed webhook.
 */
@WardfleetTest
class EnforcementTests {

    static final String SECRET = "webhook-secret-of-at-least-32-characters";
    static final List<Map<String, String>> RECEIVED = new CopyOnWriteArrayList<>();
    static final HttpServer WEBHOOK = webhook();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // the engine runs only when the test says so, at the instant the test chooses
        registry.add("wardfleet.compliance.enforcement-tick", () -> "1h");
        registry.add("wardfleet.events.webhook-url", () -> "http://127.0.0.1:" + WEBHOOK.getAddress().getPort()
                + "/siem");
        registry.add("wardfleet.events.webhook-secret", () -> SECRET);
        registry.add("wardfleet.events.delivery-tick", () -> "200ms");
    }

    @AfterAll
    static void stop() {
        WEBHOOK.stop(0);
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired EnforcementEngine engine;
    @Autowired EnforcementSteps steps;
    @Autowired Devices devices;
    @Autowired ComplianceRepository repository;
    @Autowired SecurityEvents events;
    @Autowired DeviceWake wake;
    @Autowired AuditLog audit;
    @Autowired Clock clock;

    @Test
    void theLadderAdvancesOnceFromAnyInstanceSurvivesARestartAndIsLiftedWhenCompliant() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = deviceWithLadder(admin.token());
        Instant start = clock.instant();
        Map<String, Object> stale = healthy(phone);
        stale.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(400).toString());
        report(phone, stale).jsonPath("$.state").isEqualTo("NON_COMPLIANT");
        assertThat(steps.forDevice(steps(admin), phone.deviceId()).collectList().block()).hasSize(4);

        engine.runDue(start.plusSeconds(5)).block();
        assertThat(done(admin, phone)).containsExactly("NOTIFY_USER", "NOTIFY_IT"); // at once
        engine.runDue(start.plusSeconds(6)).block();
        assertThat(done(admin, phone)).hasSize(2);
        access(admin.token(), phone).jsonPath("$.allowed").isEqualTo(true); // inside the 24 h grace period

        engine.runDue(start.plus(Duration.ofHours(25))).block(); // BLOCK_MESSAGING
        access(admin.token(), phone).jsonPath("$.allowed").isEqualTo(false)
                .jsonPath("$.reasons[0].code").isEqualTo("ACCESS_BLOCKED");

        // two instances reach the quarantine step at the same moment: it happens once
        EnforcementEngine other = new EnforcementEngine(JobFailures.logOnly(), steps, devices, repository, events, wake, audit, clock,
                Duration.ofHours(1));
        Instant later = start.plus(Duration.ofHours(49));
        Flux.merge(engine.runDue(later), other.runDue(later)).collectList().block();
        assertThat(done(admin, phone)).containsExactly("NOTIFY_USER", "NOTIFY_IT", "BLOCK_MESSAGING", "QUARANTINE");
        assertThat(timeline(admin.token(), phone)).filteredOn(e -> e.contains("enforcement.quarantine")).hasSize(1);
        http.get().uri("/api/v1/devices/" + phone.deviceId()).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$.device.state").isEqualTo("QUARANTINED");

        // compliant again (a quarantined device may still report): pending steps cancelled, quarantine and block lifted
        report(phone, healthy(phone)).jsonPath("$.state").isEqualTo("COMPLIANT");
        EnforcementEngine restarted = new EnforcementEngine(JobFailures.logOnly(), steps, devices, repository, events, wake, audit, clock,
                Duration.ofHours(1));
        restarted.runDue(start.plus(Duration.ofHours(200))).block();
        assertThat(done(admin, phone)).hasSize(4);
        access(admin.token(), phone).jsonPath("$.allowed").isEqualTo(true);
        http.get().uri("/api/v1/devices/" + phone.deviceId()).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$.device.state").isEqualTo("ACTIVE");
    }

    @Test
    void aStoredLadderRunsAfterARestartWhenItsTimeComes() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = deviceWithLadder(admin.token());
        Instant start = clock.instant();
        Map<String, Object> bad = healthy(phone);
        bad.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(400).toString());
        report(phone, bad);
        // this process "dies" before anything ran; a new one (new instance id, same database) takes over
        EnforcementEngine restarted = new EnforcementEngine(JobFailures.logOnly(), steps, devices, repository, events, wake, audit, clock,
                Duration.ofHours(1));
        restarted.runDue(start.plus(Duration.ofHours(73))).block();
        assertThat(done(admin, phone)).containsExactly("NOTIFY_USER", "NOTIFY_IT", "BLOCK_MESSAGING", "QUARANTINE");
        http.get().uri("/api/v1/devices/" + phone.deviceId()).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$.device.state").isEqualTo("QUARANTINED");
        access(admin.token(), phone).jsonPath("$.allowed").isEqualTo(false);
    }

    @Autowired StalenessSweep staleness;

    @Test
    void aDeviceThatStopsReportingBecomesNonCompliantAndItsLadderStarts() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = deviceWithLadder(admin.token());
        report(phone, healthy(phone)).jsonPath("$.state").isEqualTo("COMPLIANT");
        Instant start = clock.instant();
        assertThat(staleness.sweep(start.plus(Duration.ofHours(2))).block()).isZero(); // still inside 24 h
        staleness.sweep(start.plus(Duration.ofHours(25))).block();
        http.get().uri("/api/v1/devices/" + phone.deviceId() + "/compliance").headers(h -> h.setBearerAuth(
                admin.token())).exchange().expectBody()
                .jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reasons[0].code").isEqualTo("ATTESTATION_STALE");
        assertThat(steps.forDevice(steps(admin), phone.deviceId()).collectList().block()).hasSize(4);
        // swept once: a second sweep finds nothing new
        staleness.sweep(start.plus(Duration.ofHours(26))).block();
        assertThat(steps.forDevice(steps(admin), phone.deviceId()).collectList().block()).hasSize(4);
    }

    @Test
    void securityEventsStreamToItAndReachTheWebhookSigned() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = deviceWithLadder(admin.token());
        Flux<ServerSentEvent<Map<String, Object>>> stream = http.get().uri("/api/v1/events?sinceMinutes=0")
                .headers(h -> h.setBearerAuth(admin.token())).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                }).getResponseBody();
        List<String> types = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
        var subscription = stream.doOnNext(e -> open.compareAndSet(false, "connected".equals(e.comment())))
                .filter(e -> e.event() != null).subscribe(e -> types.add(e.event()));
        try {
            await().atMost(Duration.ofSeconds(60)).untilTrue(open); // the stream (and its live feed) is open
            Map<String, Object> rooted = healthy(phone);
            rooted.put("rooted", true);
            report(phone, rooted);
            await().atMost(Duration.ofSeconds(60)).until(() -> types.contains("device.rooted"));
        } finally {
            subscription.dispose();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> RECEIVED.stream()
                .anyMatch(r -> r.get("body").contains("device.rooted") && r.get("body").contains(phone.deviceId())));
        Map<String, String> delivery = RECEIVED.stream().filter(r -> r.get("body").contains(phone.deviceId())
                && r.get("body").contains("device.rooted")).findFirst().orElseThrow();
        assertThat(delivery.get("signature")).isEqualTo(org.wardfleet.events.WebhookSignatures.sign(
                SECRET, delivery.get("timestamp"), delivery.get("body")));
        JsonNode body = JsonMapper.builder().build().readTree(delivery.get("body"));
        assertThat(body.path("type").asString()).isEqualTo("device.rooted");
        assertThat(body.path("subject").asString()).isEqualTo(phone.deviceId());
        // another organisation's stream does not see it
        TestApi.User other = api.newOrganisation();
        List<ServerSentEvent<Map<String, Object>>> theirs = http.get().uri("/api/v1/events?sinceMinutes=60")
                .headers(h -> h.setBearerAuth(other.token())).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                }).getResponseBody().take(Duration.ofSeconds(1)).filter(e -> e.event() != null).collectList()
                .block();
        assertThat(theirs).isEmpty();
    }

    /** This device's executed steps, in ladder order. */
    private List<String> done(TestApi.User admin, TestDevice device) {
        return steps.forDevice(steps(admin), device.deviceId()).filter(s -> "DONE".equals(s.state()))
                .sort(java.util.Comparator.comparingInt(EnforcementSteps.Step::index))
                .map(EnforcementSteps.Step::action).collectList().block();
    }

    private String steps(TestApi.User admin) {
        return (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
    }

    private List<String> timeline(String admin, TestDevice device) {
        Map<?, ?> detail = http.get().uri("/api/v1/devices/" + device.deviceId()).headers(h -> h.setBearerAuth(admin))
                .exchange().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) detail.get("timeline")).stream().map(String::valueOf).toList();
    }

    /** A COPE device whose policy has a short ladder and no hardware requirement (no real phone in a test). */
    private TestDevice deviceWithLadder(String admin) {
        String id = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin))
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue("""
                        apiVersion: wardfleet.org/policy/v1
                        kind: Policy
                        name: ladder-test
                        settings:
                          os: {maxSecurityPatchAgeDays: 90}
                          integrity: {blockCompromised: true}
                          compliance:
                            graceHours: 24
                            noGrace: [compromised]
                            ladder:
                              - {afterHours: 0, action: NOTIFY_USER}
                              - {afterHours: 0, action: NOTIFY_IT}
                              - {afterHours: 24, action: BLOCK_MESSAGING}
                              - {afterHours: 48, action: QUARANTINE}
                        """).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id");
        http.post().uri("/api/v1/policies/" + id + "/publish").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk();
        http.post().uri("/api/v1/policies/" + id + "/assignments").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("group", "ladder", "priority", 100)).exchange().expectStatus().isCreated();
        // the baseline's own ladder and hardware requirement are lifted for this test device
        Map<?, ?> policies = http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        for (Object item : (List<?>) policies.get("items")) {
            Map<?, ?> p = (Map<?, ?>) item;
            Map<?, ?> detail = http.get().uri("/api/v1/policies/" + p.get("id")).headers(h -> h.setBearerAuth(admin))
                    .exchange().expectBody(Map.class).returnResult().getResponseBody();
            for (Object a : (List<?>) detail.get("assignments")) {
                if ("ownership".equals(((Map<?, ?>) a).get("targetType"))) {
                    http.delete().uri("/api/v1/policies/" + p.get("id") + "/assignments/" + ((Map<?, ?>) a).get("id"))
                            .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isNoContent();
                }
            }
        }
        TestDevice device = TestDevice.p256();
        api.enroll((String) api.invitation(admin, Map.of("ownership", "COPE", "platform", "android", "groups",
                List.of("ladder"))).get("secret"), device, "android", Map.of());
        return device;
    }

    private Map<String, Object> healthy(TestDevice device) {
        String nonce = (String) api.deviceCall(device, "POST", "/device/v1/attestation/challenge", null)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("nonce");
        Map<String, Object> claims = new HashMap<>();
        claims.put("nonce", nonce);
        claims.put("osVersion", "15");
        claims.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(10).toString());
        claims.put("rooted", false);
        return claims;
    }

    private WebTestClient.BodyContentSpec report(TestDevice device, Map<String, Object> claims) {
        return api.deviceCall(device, "POST", "/device/v1/attestation", Map.of("report", device.signReport(claims))).expectStatus().isOk().expectBody();
    }

    private WebTestClient.BodyContentSpec access(String admin, TestDevice device) {
        return http.get().uri("/api/v1/access/devices/" + device.deviceId()).headers(h -> h.setBearerAuth(admin))
                .exchange().expectStatus().isOk().expectBody();
    }

    private static HttpServer webhook() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/siem", exchange -> {
                RECEIVED.add(Map.of("body", new String(exchange.getRequestBody().readAllBytes(),
                                StandardCharsets.UTF_8),
                        "signature", String.valueOf(exchange.getRequestHeaders().getFirst("X-Wardfleet-Signature")),
                        "timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("X-Wardfleet-Timestamp"))));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
