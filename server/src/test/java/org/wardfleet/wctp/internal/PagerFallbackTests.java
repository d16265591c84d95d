package org.wardfleet.wctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;
import org.wardfleet.sdk.tools.WctpLoopbackGateway;

/**
 * App first, pager as fallback: an undelivered STAT page goes to the pager once, without patient data; "at once" pages
 * the pager even when the app has it; a real broadcast falls back like a page, a drill never does.
 */
@WardfleetTest
class PagerFallbackTests {

    static final WctpLoopbackGateway GATEWAY = start();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.wctp.gateway.url", GATEWAY::url);
        registry.add("wardfleet.wctp.gateway.security-code", () -> "gateway-code-12345");
        registry.add("wardfleet.wctp.fallback-check", () -> "1h"); // the test drives it
        registry.add("wardfleet.oncall.tick", () -> "1h");
        registry.add("wardfleet.wctp.gateway.backoff", () -> "10ms");
    }

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired PagerFallback fallback;
    @Autowired Clock clock;

    @Test
    void anUndeliveredStatPageReachesThePagerOnceAndTheTimelineSaysSo() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User inTheBasement = api.createUser(admin.token(), "CLINICIAN"); // no signal: no device fetches
        TestApi.User onWifi = api.createUser(admin.token(), "CLINICIAN");
        TestDevice onWifiPhone = api.enrolledDevice(admin.token(), "COPE", onWifi.id());
        rules(inTheBasement, "4321", 60);
        rules(onWifi, "5555", 60);
        // only the user (or an ADMIN) sets their rules
        http.put().uri("/api/v1/users/" + onWifi.id() + "/contact-rules").headers(h -> h.setBearerAuth(
                inTheBasement.token())).bodyValue(Map.of("pager", "1234")).exchange().expectStatus().isForbidden();

        String lost = page(doctor, inTheBasement, "Mr Jones bed 2 crashing");
        String seen = page(doctor, onWifi, "Bed 9 review");
        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + onWifiPhone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk(); // delivered to the app: no pager needed

        int before = GATEWAY.received().size();
        assertThat(fallback.check(clock.instant().plusSeconds(30)).block()).isZero(); // the app still has time
        fallback.check(clock.instant().plusSeconds(61)).block();
        fallback.check(clock.instant().plusSeconds(90)).block(); // once only
        List<String> sent = GATEWAY.received().subList(before, GATEWAY.received().size());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).contains("recipientID=\"4321\"").contains("STAT - open Wardfleet - ref")
                .doesNotContain("Jones").doesNotContain("crashing");
        Map<?, ?> view = http.get().uri("/api/v1/pages/" + lost).headers(h -> h.setBearerAuth(doctor.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(view.get("timeline").toString()).contains("PAGER_SENT").contains("pager=4321");
        assertThat(http.get().uri("/api/v1/pages/" + seen).headers(h -> h.setBearerAuth(doctor.token())).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain("PAGER_SENT");
    }

    @Test
    void zeroSecondsMeansAppAndPagerAtOnceAndEveryGatewayAttemptIsOnTheTimeline() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User surgeon = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User anaesthetist = api.createUser(admin.token(), "CLINICIAN");
        TestDevice surgeonPhone = api.enrolledDevice(admin.token(), "COPE", surgeon.id());
        rules(surgeon, "7777", 0);
        rules(anaesthetist, "8888", 0);
        GATEWAY.answerWith(604, 1); // the paging network is busy once
        int before = GATEWAY.received().size();
        String id = page(doctor, surgeon, "Theatre 3 now");
        String answered = page(doctor, anaesthetist, "Theatre 4 now");
        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + surgeonPhone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk(); // the app has it already: "at once" pages anyway
        http.post().uri("/api/v1/messages/" + answered + "/receipts").headers(h -> h.setBearerAuth(
                anaesthetist.token())).bodyValue(Map.of("state", "ACKNOWLEDGED")).exchange()
                .expectStatus().is2xxSuccessful(); // answered before the check: no pager needed
        assertThat(fallback.check(clock.instant()).block()).isEqualTo(1);
        assertThat(fallback.check(clock.instant().plusSeconds(5)).block()).isZero(); // once
        assertThat(GATEWAY.received().subList(before, GATEWAY.received().size())).hasSize(2)
                .allSatisfy(xml -> assertThat(xml).contains("recipientID=\"7777\""));
        String timeline = http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(doctor.token()))
                .exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(timeline).contains("PAGER_RETRY").contains("\"code\":604").contains("PAGER_SENT");
        assertThat(timeline.indexOf("PAGER_RETRY")).isLessThan(timeline.indexOf("PAGER_SENT"));
    }

    @Test
    void aMajorIncidentReachesTheUnreachedOnTheirPagersButADrillNeverLeavesTheApp() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User porter = api.createUser(admin.token(), "CLINICIAN"); // no device: the app cannot reach them
        rules(porter, "6060", 60);
        int before = GATEWAY.received().size();
        String drill = broadcast(admin, "Major incident exercise: report to ED", true);
        String real = broadcast(admin, "Major incident declared: report to ED", false);
        assertThat(fallback.check(clock.instant().plusSeconds(30)).block()).isZero();
        assertThat(fallback.check(clock.instant().plusSeconds(61)).block()).isEqualTo(1);
        List<String> sent = GATEWAY.received().subList(before, GATEWAY.received().size());
        assertThat(sent).singleElement().satisfies(xml -> assertThat(xml).contains("recipientID=\"6060\"")
                .contains("ref " + real.substring(0, 8)).doesNotContain("ref " + drill.substring(0, 8))
                .doesNotContain("Major incident"));
    }

    private String broadcast(TestApi.User from, String text, boolean drill) {
        return (String) http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(from.token()))
                .bodyValue(Map.of("audience", Map.of("all", true), "text", text, "priority", "STAT", "drill", drill))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private void rules(TestApi.User user, String pager, int statSeconds) {
        http.put().uri("/api/v1/users/" + user.id() + "/contact-rules").headers(h -> h.setBearerAuth(user.token()))
                .bodyValue(Map.of("pager", pager, "fallbackAfterSeconds", Map.of("STAT", statSeconds,
                        "URGENT", 180))).exchange().expectStatus().isOk();
    }

    private String page(TestApi.User from, TestApi.User to, String text) {
        return (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(from.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("userId", to.id()), "text", text, "priority", "STAT"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private static WctpLoopbackGateway start() {
        try {
            return new WctpLoopbackGateway();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
