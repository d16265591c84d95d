package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.FcmStub;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * Re-alerting, counted as FCM wake-ups on the wire (the real Firebase Admin SDK against a loopback FCM): while a page
 * is unacknowledged its recipient's phone is woken again every {@code realert-stat} (2 min) for STAT and every
 * {@code realert-urgent} (5 min) for URGENT — each at its own interval, every time — and never once acknowledged.
 * The engine runs only when the test says, at the instant it chooses; the pages' own escalation steps are a day long.
 */
@WardfleetTest
@Import(FcmStub.Transport.class)
@TestPropertySource(properties = {"wardfleet.oncall.tick=1h", "wardfleet.oncall.realert-stat=2m",
    "wardfleet.oncall.realert-urgent=5m"})
class ReAlertingTests {

    static final FcmStub FCM = FcmStub.start();

    @DynamicPropertySource
    static void fcm(DynamicPropertyRegistry registry) throws Exception {
        FCM.register(registry);
    }

    @AfterAll
    static void stop() {
        FCM.close();
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired EscalationJob engine;
    @Autowired Clock clock;

    record Paged(TestApi.User doctor, String token, String pageId) {
    }

    @Test
    void statAndUrgentPagesReAlertAtTheirOwnIntervalsAgainAndAgainUntilAcknowledged() {
        TestApi.User admin = api.newOrganisation();
        Paged stat = page(admin, "STAT");
        Paged urgent = page(admin, "URGENT");
        Instant t0 = clock.instant(); // both pages were sent just before: each re-alert is due by t0 + its interval
        int statSent = wakes(stat);
        int urgentSent = wakes(urgent);

        // minute by minute (each tick a second later than the last, as a real engine would run)
        tick(t0, 2 * 60 + 1);   // STAT due (2 min)
        assertThat(wakes(stat) - statSent).isEqualTo(1);
        assertThat(wakes(urgent) - urgentSent).isZero();
        tick(t0, 4 * 60 + 2);   // STAT again (4 min)
        assertThat(wakes(stat) - statSent).isEqualTo(2);
        assertThat(wakes(urgent) - urgentSent).isZero();
        tick(t0, 5 * 60 + 3);   // URGENT due (5 min); STAT not (next at 6 min)
        assertThat(wakes(stat) - statSent).isEqualTo(2);
        assertThat(wakes(urgent) - urgentSent).isEqualTo(1);
        tick(t0, 7 * 60 + 4);   // STAT (6 min) — and not URGENT, whose next re-alert is 5 min after its first
        assertThat(wakes(stat) - statSent).isEqualTo(3);
        assertThat(wakes(urgent) - urgentSent).isEqualTo(1);
        tick(t0, 10 * 60 + 5);  // URGENT again (10 min), STAT again (9 min)
        assertThat(wakes(stat) - statSent).isEqualTo(4);
        assertThat(wakes(urgent) - urgentSent).isEqualTo(2);

        acknowledge(stat);
        acknowledge(urgent);
        tick(t0, 30 * 60);
        assertThat(wakes(stat) - statSent).isEqualTo(4);
        assertThat(wakes(urgent) - urgentSent).isEqualTo(2);
    }

    private void tick(Instant t0, long seconds) {
        engine.tick(t0.plusSeconds(seconds)).block();
    }

    /** A page to a new doctor whose phone has an FCM token, along a one-step policy a day long. */
    private Paged page(TestApi.User admin, String priority) {
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", doctor.id());
        String token = priority.toLowerCase() + "-" + UUID.randomUUID();
        api.deviceCall(phone, "POST", "/device/v1/checkin", Map.of("pushToken", token)).expectStatus().isOk();
        String policy = (String) http.post().uri("/api/v1/escalation-policies")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "day", "repeat", 1, "steps", List.of(Map.of("targets",
                        List.of(Map.of("userId", doctor.id())), "waitSeconds", 86400))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        String id = (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("userId", doctor.id()), "text", "Review bed 9", "priority", priority,
                        "escalationPolicyId", policy))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        return new Paged(doctor, token, id);
    }

    private void acknowledge(Paged paged) {
        http.post().uri("/api/v1/pages/" + paged.pageId() + "/acknowledge")
                .headers(h -> h.setBearerAuth(paged.doctor().token())).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("ACKNOWLEDGED");
    }

    private static int wakes(Paged paged) {
        return FCM.messagesTo(paged.token()).size();
    }
}
