package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.ConsoleForms;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The compliance page in real Chromium: counts that are the fleet's, 30 days drawn by ECharts, the ladder's next
 * steps, and a device turning non-compliant appearing without a reload; read-only staff see all of it, and the live
 * stream ends with the session.
 */
@WardfleetTest
class ConsoleComplianceTests {

    static ConsoleBrowser browser;

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired MongoDatabase db;

    @BeforeEach
    void freshVisitor() {
        if (browser == null) {
            browser = ConsoleBrowser.start("http://localhost:" + port);
        }
        browser.reset();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void countsAreTheFleetsTheChartDrawsThirtyDaysAndARootedPhoneShowsUpLive() {
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        ownPolicyForCope(admin);
        TestDevice healthy = api.enrolledDevice(admin.token(), "COPE", null);
        TestDevice rooted = api.enrolledDevice(admin.token(), "COPE", null);
        TestDevice quiet = api.enrolledDevice(admin.token(), "COPE", null);
        report(healthy, false);
        report(rooted, true);
        recordedHistory(orgId);

        browser.signIn(admin.email(), admin.password()).open("/console/compliance");
        Map<String, Integer> counts = Map.of("COMPLIANT", count("COMPLIANT"), "NON_COMPLIANT", count("NON_COMPLIANT"),
                "UNKNOWN", count("UNKNOWN"));
        assertThat(counts).containsEntry("COMPLIANT", 1).containsEntry("NON_COMPLIANT", 1).containsEntry("UNKNOWN", 1);
        assertThat(browser.find(By.id("device-total")).getText()).isEqualTo("3");

        // the chart: ECharts drew it on a canvas, from 30 days of data, today's being the counts above
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#compliance-chart canvas")));
        Map<?, ?> chart = (Map<?, ?>) ((JavascriptExecutor) browser.driver()).executeScript("""
                var option = echarts.getInstanceByDom(document.getElementById('compliance-chart')).getOption();
                return {days: option.xAxis[0].data.length, series: option.series.map(function (s) { return s.data; }),
                        names: option.series.map(function (s) { return s.name; })};""");
        assertThat(((Number) chart.get("days")).intValue()).isEqualTo(30);
        assertThat((List<Object>) chart.get("names")).containsExactly("Compliant", "Non-compliant", "Unknown");
        List<List<?>> series = (List<List<?>>) chart.get("series");
        assertThat(series).allSatisfy(s -> assertThat(s).hasSize(30));
        assertThat(((Number) series.get(1).get(29)).intValue()).isEqualTo(1);
        assertThat(((Number) series.get(0).get(28)).intValue()).isEqualTo(2);
        assertThat(series.get(0).get(0)).as("a day without a snapshot is a gap, not zero").isNull();
        assertThat(browser.find(By.id("compliance-chart")).getDomAttribute("data-points")).isEqualTo("30");

        // the ladder of the rooted phone's policy, soonest first (its first step an hour away, so that the enforcement
        // job, every 30 s, has not already done it by the time a busy machine shows the page)
        String ladder = browser.find(By.id("ladder")).getText();
        assertThat(ladder).contains("Alert IT (security event)").contains("Block access to patient data")
                .contains("Quarantine").contains(rooted.deviceId().substring(0, 8));
        assertThat(browser.find(By.id("reasons")).getText()).contains("Rooted or jailbroken");
        browser.screenshot("compliance");

        // a phone turns non-compliant while the page is open: the feed and the counts change without a reload
        ((JavascriptExecutor) browser.driver()).executeScript("window.stillTheSamePage = true;");
        report(quiet, true);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"),
                quiet.deviceId().substring(0, 8)));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("count-NON_COMPLIANT"), "2"));
        assertThat(browser.find(By.id("events")).getText()).contains("Device rooted or jailbroken");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ladder"),
                quiet.deviceId().substring(0, 8)));
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.stillTheSamePage")).isEqualTo(true);
        browser.screenshot("compliance-live");
        browser.size(ConsoleBrowser.TABLET).screenshot("compliance-tablet");
        browser.size(ConsoleBrowser.LAPTOP);

        // each count is a link to exactly those devices in the fleet list
        for (String state : List.of("COMPLIANT", "NON_COMPLIANT", "UNKNOWN")) {
            int shown = count(state);
            browser.find(By.id("count-" + state)).click();
            browser.until(ExpectedConditions.urlContains("compliance=" + state));
            browser.waitForPage();
            assertThat(browser.driver().findElements(By.cssSelector("#devices tbody tr"))).as(state).hasSize(shown);
            browser.driver().navigate().back();
            browser.waitForPage();
        }
    }

    @Test
    void securityStaffSeeEverythingAndTheLiveStreamEndsWithTheirSession() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User officer = api.createUser(admin.token(), "SECURITY");
        report(api.enrolledDevice(admin.token(), "COPE", null), true);
        browser.signIn(officer.email(), officer.password()).open("/console/compliance");
        assertThat(browser.find(By.id("counts")).getText()).contains("Non-compliant");
        assertThat(browser.find(By.id("events")).getText()).contains("Device rooted or jailbroken");
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#compliance-chart canvas")));
        assertThat(browser.driver().findElements(By.cssSelector("#main form, #main button"))).isEmpty();
        browser.screenshot("compliance-security");

        // the page's stream, opened with a session that then signs out: it says "ended" and closes
        ConsoleForms.Session session = ConsoleForms.signIn(http, officer.email(), officer.password());
        Flux<ServerSentEvent<String>> stream = http.get().uri("/console/compliance/live")
                .cookie("wardfleet_console", session.cookie()).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(new org.springframework.core.ParameterizedTypeReference<
                        ServerSentEvent<String>>() { }).getResponseBody();
        String page = http.get().uri("/console/compliance").cookie("wardfleet_console", session.cookie()).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        String token = page.replaceAll("(?s).*<meta name=\"csrf-token\" content=\"([^\"]+)\".*", "$1");
        http.post().uri("/console/signout").cookie("wardfleet_console", session.cookie())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("_csrf", token)).exchange().expectStatus().is3xxRedirection();
        List<String> events = stream.filter(e -> e.event() != null).map(ServerSentEvent::event).collectList()
                .block(Duration.ofSeconds(60));
        assertThat(events).endsWith("ended");
    }

    private int count(String state) {
        return Integer.parseInt(browser.find(By.cssSelector("#count-" + state + " .number")).getText());
    }

    /** 29 earlier days as the daily snapshot recorded them (two devices then), but for the first: not yet running. */
    private void recordedHistory(String orgId) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<Document> days = new java.util.ArrayList<>();
        for (int back = 28; back >= 1; back--) {
            LocalDate day = today.minusDays(back);
            int bad = back % 7 == 0 ? 1 : 0;
            days.add(new Document("_id", orgId + ":" + day).append("orgId", orgId).append("day", day.toString())
                    .append("devices", 2).append("byState", new Document("COMPLIANT", 2 - bad)
                            .append("NON_COMPLIANT", bad).append("UNKNOWN", 0))
                    .append("takenAt", java.util.Date.from(Instant.now().minus(Duration.ofDays(back)))));
        }
        Mono.from(db.getCollection("compliance_daily").insertMany(days)).block();
    }

    /** COPE devices here get a policy without the hardware requirement (no real phone), and a ladder. */
    private void ownPolicyForCope(TestApi.User admin) {
        Map<?, ?> policies = get(admin, "/api/v1/policies");
        String cope = ((List<Map<String, Object>>) policies.get("items")).stream()
                .filter(p -> "cope-clinical".equals(p.get("name"))).map(p -> (String) p.get("id")).findFirst()
                .orElseThrow();
        String baseline = (String) ((List<Map<String, Object>>) get(admin, "/api/v1/policies/" + cope)
                .get("assignments")).get(0).get("id");
        http.delete().uri("/api/v1/policies/{p}/assignments/{a}", cope, baseline)
                .headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isNoContent();
        String id = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue("""
                        apiVersion: wardfleet.org/policy/v1
                        kind: Policy
                        name: ward-phones
                        settings:
                          integrity: {blockCompromised: true}
                          checkIn: {attestationMaxAgeHours: 24}
                          compliance:
                            graceHours: 4
                            noGrace: [compromised]
                            ladder:
                              - {afterHours: 1, action: NOTIFY_IT}
                              - {afterHours: 4, action: BLOCK_MESSAGING}
                              - {afterHours: 24, action: QUARANTINE}
                        """).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id");
        http.post().uri("/api/v1/policies/{id}/publish", id).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk();
        http.post().uri("/api/v1/policies/{id}/assignments", id).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("ownership", "COPE")).exchange().expectStatus().isCreated();
    }

    /** A signed posture report answering a fresh challenge: healthy, or rooted. */
    private void report(TestDevice device, boolean isRooted) {
        String nonce = (String) api.deviceCall(device, "POST", "/device/v1/attestation/challenge", null)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("nonce");
        Map<String, Object> claims = new HashMap<>(Map.of("nonce", nonce, "osVersion", "15", "rooted", isRooted,
                "securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(10).toString()));
        api.deviceCall(device, "POST", "/device/v1/attestation", Map.of("report", device.signReport(claims)))
                .expectStatus().isOk();
    }

    private Map<?, ?> get(TestApi.User user, String path) {
        return http.get().uri(path).headers(h -> h.setBearerAuth(user.token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private String orgOf(TestApi.User user) {
        return get(user, "/api/v1/me").get("orgId").toString();
    }
}
