package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * The incident lead's and the on-call coordinator's work in real Chromium: send a drill and watch the answers come in,
 * follow a page as it escalates and is acknowledged — never seeing a message's text — and, as security staff, look
 * without being able to send anything.
 */
@WardfleetTest
class ConsolePagesTests {

    static ConsoleBrowser browser;

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired WebTestClient http;

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
    void aDrillSentFromTheBrowserCountsTheAnswersLiveAsPhonesReply() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User amara = api.createUser(admin.token(), "CLINICIAN", "Amara Okafor");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben Clarke");
        TestApi.User chloe = api.createUser(admin.token(), "CLINICIAN", "Chloe Duval");
        TestDevice amaraPhone = api.enrolledDevice(admin.token(), "COPE", amara.id());
        TestDevice benPhone = api.enrolledDevice(admin.token(), "COPE", ben.id());
        api.enrolledDevice(admin.token(), "COPE", chloe.id());

        browser.signIn(admin.email(), admin.password()).open("/console/pages/broadcasts");
        browser.find(By.id("text")).sendKeys("DRILL: major incident, report your status");
        browser.find(By.id("choices")).sendKeys("Available\nNot available");
        new org.openqa.selenium.support.ui.Select(browser.find(By.id("bc-priority"))).selectByValue("STAT");
        browser.find(By.id("drill")).click();
        browser.screenshot("pages-broadcast-compose");
        browser.find(By.id("review-broadcast")).click();
        // asked first, naming who gets it and that it is a drill
        assertThat(browser.find(By.id("confirmation")).getText()).contains("Send this drill?")
                .contains("Everyone in your organisation").contains("DRILL").contains("Available / Not available");
        browser.screenshot("pages-broadcast-confirm");
        browser.find(By.id("confirm-button")).click();

        browser.until(ExpectedConditions.urlMatches("/console/pages/broadcasts/[^/?]+"));
        assertThat(browser.find(By.id("drill-mark")).getText()).isEqualTo("DRILL");
        String id = browser.driver().getCurrentUrl().replaceAll(".*/broadcasts/([^/?]+).*", "$1");
        // everyone but its sender: the three clinicians
        assertThat(browser.find(By.id("count-recipients")).getText()).isEqualTo("3");
        assertThat(browser.find(By.id("count-acknowledged")).getText()).isEqualTo("0");
        assertThat(browser.find(By.id("pending")).getText()).contains("Amara Okafor").contains("Ben Clarke")
                .contains("Chloe Duval");
        markDocument();

        // the phones receive and answer; the open page follows without a reload
        fetch(amaraPhone);
        answer(amaraPhone, id, "Available");
        browser.until(ExpectedConditions.textToBe(By.id("count-acknowledged"), "1"));
        fetch(benPhone);
        answer(benPhone, id, "Not available");
        browser.until(ExpectedConditions.textToBe(By.id("count-acknowledged"), "2"));
        assertThat(browser.find(By.id("count-delivered")).getText()).isEqualTo("2");
        assertThat(browser.find(By.id("choices")).getText()).contains("Available 1").contains("Not available 1");
        assertThat(browser.find(By.id("pending")).getText()).contains("Chloe Duval").doesNotContain("Amara Okafor")
                .doesNotContain("Ben Clarke");
        assertThat(documentWasNotReloaded()).isTrue();
        assertThat(browser.driver().getPageSource()).doesNotContain("report your status");
        browser.screenshot("pages-broadcast-rollup");

        // the list marks it as a drill
        browser.open("/console/pages/broadcasts");
        assertThat(browser.find(By.cssSelector("#broadcasts tbody tr")).getText()).contains("DRILL")
                .contains("Everyone").contains("STAT");
        browser.screenshot("pages-broadcasts");
    }

    @Test
    void aPageShowsItsEscalationAndAcknowledgementLiveButNeverItsText() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN", "Dr Priya Raman");
        TestApi.User registrar = api.createUser(admin.token(), "CLINICIAN", "Dr Tom Haller");
        TestApi.User consultant = api.createUser(admin.token(), "CLINICIAN", "Dr Ines Moreau");
        String role = api.onCallRole(admin.token(), "Cardiology registrar", registrar.id());
        String policy = (String) http.post().uri("/api/v1/escalation-policies")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "cardiology", "repeat", 1, "steps", List.of(
                        Map.of("targets", List.of(Map.of("roleId", role)), "waitSeconds", 10),
                        Map.of("targets", List.of(Map.of("userId", consultant.id())), "waitSeconds", 600))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        String text = "Bed 5 chest pain troponin " + UUID.randomUUID();
        String id = (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(doctor.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("roleId", role), "text", text, "priority", "URGENT",
                        "escalationPolicyId", policy))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        browser.signIn(admin.email(), admin.password()).open("/console/pages?role=" + role);
        assertThat(browser.find(By.cssSelector("#pages tbody tr")).getText()).contains("Cardiology registrar")
                .contains("Dr Priya Raman").contains("URGENT");
        browser.screenshot("pages-list");
        browser.find(By.cssSelector("#pages tbody tr a")).click();
        browser.until(ExpectedConditions.urlContains("/console/pages/" + id));
        assertThat(browser.find(By.id("timeline")).getText()).contains("Triggered").contains("Dr Tom Haller");
        markDocument();

        // nobody answers: after 10 s the page moves on to the consultant, and the open page shows it
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "Escalated"));
        assertThat(browser.find(By.id("timeline")).getText()).contains("Dr Ines Moreau").contains("step 2");
        assertThat(browser.find(By.id("recipients")).getText()).contains("Dr Ines Moreau").contains("Dr Tom Haller");
        http.post().uri("/api/v1/pages/" + id + "/acknowledge").headers(h -> h.setBearerAuth(consultant.token()))
                .exchange().expectStatus().isOk();
        browser.until(ExpectedConditions.textToBe(By.id("page-state"), "Acknowledged"));
        assertThat(browser.find(By.id("acknowledged-by")).getText()).isEqualTo("Dr Ines Moreau");
        assertThat(browser.find(By.id("timeline")).getText()).contains("Acknowledged");
        assertThat(documentWasNotReloaded()).isTrue();
        // the console never shows what a page said
        assertThat(browser.driver().getPageSource()).doesNotContain(text).doesNotContain("troponin");
        browser.screenshot("pages-detail");
        browser.size(ConsoleBrowser.TABLET);
        browser.screenshot("pages-detail-tablet");
    }

    @Test
    void securityStaffSeePagesAndBroadcastsButCannotSendAnything() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User officer = api.createUser(admin.token(), "SECURITY", "Sam Security");
        http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "Fire drill east wing",
                        "priority", "URGENT", "drill", true))
                .exchange().expectStatus().isCreated();

        browser.signIn(officer.email(), officer.password()).open("/console/pages/broadcasts");
        assertThat(browser.find(By.id("no-broadcast")).getText()).contains("not send one");
        assertThat(browser.find(By.cssSelector("#broadcasts tbody tr")).getText()).contains("DRILL");
        // the filters are a search (GET); nothing that posts, no form to send, no red button
        assertThat(browser.driver().findElements(By.cssSelector("#main form[method=post], #compose, .button.danger")))
                .isEmpty();
        browser.screenshot("pages-broadcasts-security");
        browser.find(By.cssSelector("#broadcasts tbody tr a")).click();
        assertThat(browser.find(By.id("drill-mark")).getText()).isEqualTo("DRILL");
        assertThat(browser.driver().findElements(By.cssSelector("#main form"))).isEmpty();

        // a forged form with their own session and its valid token: refused, and nothing is sent
        String session = browser.cookie("wardfleet_console");
        String token = browser.csrfToken();
        for (String path : List.of("/console/pages/broadcasts", "/console/pages/broadcasts/review")) {
            http.post().uri(path).cookie("wardfleet_console", session)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(BodyInserters.fromFormData("audience", "all").with("text", "Evacuate now")
                            .with("priority", "STAT").with("key", UUID.randomUUID().toString()).with("_csrf", token))
                    .exchange().expectStatus().isForbidden();
        }
        http.get().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$.total").isEqualTo(1);
    }

    private void fetch(TestDevice phone) {
        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk();
    }

    private void answer(TestDevice phone, String id, String choice) {
        api.deviceCall(phone, "POST", "/device/v1/messages/" + id + "/receipts",
                Map.of("state", "ACKNOWLEDGED", "choice", choice)).expectStatus().isOk();
    }

    /** Marks the document: a reload would replace it, and the mark with it. */
    private static void markDocument() {
        ((JavascriptExecutor) browser.driver()).executeScript("window.wardfleetTestMark = 'same document'");
    }

    private static boolean documentWasNotReloaded() {
        return "same document".equals(((JavascriptExecutor) browser.driver()).executeScript(
                "return window.wardfleetTestMark"));
    }
}
