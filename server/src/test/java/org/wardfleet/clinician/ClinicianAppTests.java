package org.wardfleet.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * The clinician app in real headless Chromium, two clinicians in two browsers: a page raised, answered and stopped;
 * a decline that escalates; a broadcast answered from its banner; a recall that takes a message off the screen; and
 * a signed-out browser that reads nothing.
 */
@WardfleetTest
class ClinicianAppTests {

    static final Dimension PHONE = new Dimension(360, 780);
    static ConsoleBrowser sender;
    static ConsoleBrowser onCall;

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired WebTestClient http;

    @BeforeEach
    void browsers() {
        if (sender == null) {
            sender = ConsoleBrowser.start("http://localhost:" + port);
            onCall = ConsoleBrowser.start("http://localhost:" + port);
        }
        sender.reset();
        onCall.reset();
    }

    @AfterAll
    static void stop() {
        if (sender != null) {
            sender.close();
            onCall.close();
            sender = null;
            onCall = null;
        }
    }

    @Test
    void onCallClinicianIsAlertedWithinASecondAcknowledgesAndTheSenderSeesItLive() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Dr Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Dr Ben Ode");
        String role = "cardiology-registrar-" + UUID.randomUUID().toString().substring(0, 6);
        api.onCallRole(admin.token(), role, ben.id());

        signIn(onCall, ben);
        onCall.size(PHONE);
        backgroundTabWithRecordedNotifications(onCall);
        signIn(sender, ana);
        sender.open("/app#oncall");
        WebElement roleItem = sender.find(By.cssSelector("li.role[data-role='" + role + "']"));
        sender.until(d -> roleItem.getText().contains("Dr Ben Ode"));
        sender.screenshot("app-oncall");
        roleItem.findElement(By.cssSelector(".role-head button")).click();
        roleItem.findElement(By.tagName("textarea")).sendKeys("Chest pain bed 12, troponin rising");
        long sentAt = System.currentTimeMillis();
        roleItem.findElement(By.cssSelector("form button[type=submit]")).click();

        WebElement alert = onCall.find(By.id("alert"));
        long raisedAt = Long.parseLong(alert.getDomAttribute("data-raised-at"));
        assertThat(raisedAt - sentAt).as("ms from pressing Send page to the on-call screen's alert").isLessThan(1000);
        onCall.until(d -> alert.getText().contains("Chest pain bed 12") && alert.getText().contains("Dr Ana Ito"));
        assertThat(alert.getText()).contains("STAT");
        assertThat(alert.getDomAttribute("data-tone")).isIn("playing", "blocked");
        onCall.screenshot("app-stat-alert");
        // the system notification (the tab was in the background) says the priority, never the text or sender
        List<?> notes = onCall.until(d -> {
            List<?> shown = (List<?>) script(onCall, "return window.__notifications || []");
            return shown.isEmpty() ? null : shown;
        });
        assertThat(notes.toString()).contains("STAT", "Open Wardfleet").doesNotContain("Chest", "bed 12", "troponin",
                "Ana");

        sender.until(ExpectedConditions.urlContains("#page/"));
        String pageId = sender.driver().getCurrentUrl().replaceAll(".*#page/", "");
        onCall.find(By.id("alert-ack")).click();
        onCall.until(d -> onCall.find(By.id("alert-outcome")).getText().contains("You acknowledged"));
        assertThat(onCall.find(By.id("alert")).getDomAttribute("data-tone")).isEqualTo("off");
        sender.until(d -> sender.find(By.id("page-state")).getText().replace('\n', ' ')
                .contains("ACKNOWLEDGED by Dr Ben Ode"));
        sender.screenshot("app-page-timeline");

        Map<?, ?> page = http.get().uri("/api/v1/pages/{id}", pageId).headers(h -> h.setBearerAuth(ana.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(page.get("state")).isEqualTo("ACKNOWLEDGED");
        assertThat(page.get("acknowledgedBy")).isEqualTo(ben.id());
    }

    @Test
    void aDeclinedPageEscalatesToTheNextStepAtOnce() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Dr Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Dr Ben Ode");
        TestApi.User cy = api.createUser(admin.token(), "CLINICIAN", "Dr Cy Pym");
        String role = api.onCallRole(admin.token(), "medicine-" + UUID.randomUUID().toString().substring(0, 6),
                ben.id());
        String policy = (String) http.post().uri("/api/v1/escalation-policies")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "Registrar then consultant", "repeat", 1, "steps", List.of(
                        Map.of("targets", List.of(Map.of("roleId", role)), "waitSeconds", 3600),
                        Map.of("targets", List.of(Map.of("userId", cy.id())), "waitSeconds", 3600))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        signIn(onCall, ben);
        signIn(sender, cy);

        String pageId = page(ana, Map.of("roleId", role), "Review patient in bay 3", policy);
        onCall.find(By.id("alert-decline-open")).click();
        onCall.find(By.id("decline-reason")).sendKeys("In theatre until 15:00");
        onCall.find(By.id("alert-decline-send")).click();
        onCall.until(d -> onCall.find(By.id("alert-outcome")).getText().contains("You declined"));

        // step 2 — the consultant — is alerted now, not an hour later
        WebElement alert = sender.find(By.id("alert"));
        sender.until(d -> alert.getText().contains("Review patient in bay 3"));
        Map<?, ?> page = http.get().uri("/api/v1/pages/{id}", pageId).headers(h -> h.setBearerAuth(ana.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(page.get("step")).isEqualTo(1);
        assertThat(page.toString()).contains("DECLINED");
    }

    @Test
    void aDrillAnsweredFromItsBannerMovesTheRollup() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User lead = api.createUser(admin.token(), "INCIDENT_LEAD", "Sam Lead");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Dr Ben Ode");
        api.createUser(admin.token(), "CLINICIAN", "Dr Cy Pym");
        signIn(onCall, ben);

        String id = (String) http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(lead.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "Major incident exercise: are you free?",
                        "priority", "URGENT", "choices", List.of("Available", "Not available"), "drill", true))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        WebElement banner = onCall.find(By.cssSelector(".banner[data-message='" + id + "']"));
        onCall.until(d -> banner.getText().contains("Drill from Sam Lead"));
        assertThat(banner.getText()).contains("DRILL", "Major incident exercise", "Available", "Not available");
        onCall.screenshot("app-broadcast");
        banner.findElements(By.tagName("button")).stream().filter(b -> b.getText().equals("Available")).findFirst()
                .orElseThrow().click();
        onCall.until(d -> banner.getText().contains("Answered: Available"));

        Map<?, ?> rollup = http.get().uri("/api/v1/broadcasts/{id}", id).headers(h -> h.setBearerAuth(lead.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) rollup.get("choices")).get("Available")).isEqualTo(1);
        assertThat(rollup.get("drill")).isEqualTo(true);
        assertThat(rollup.get("pending").toString()).doesNotContain(ben.id());
    }

    @Test
    void aRecalledMessageLeavesTheRecipientsScreenAndReceiptsArriveLive() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Dr Ana Ito");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Dr Ben Ode");
        String chat = (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(ana.token()))
                .bodyValue(Map.of("participants", List.of(ben.id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        signIn(onCall, ben);
        signIn(sender, ana);
        sender.open("/app#c/" + chat);

        sender.find(By.id("compose-text")).sendKeys("Wrong patient: ignore the potassium result");
        new org.openqa.selenium.support.ui.Select(sender.find(By.id("compose-priority"))).selectByValue("URGENT");
        sender.find(By.id("compose-ack")).click();
        sender.find(By.id("compose-send")).click();
        onCall.until(d -> onCall.find(By.id("alert")).getText().contains("Wrong patient"));
        // the view redraws as receipts arrive: press the button as it is now
        sender.until(d -> {
            try {
                sender.find(By.cssSelector("button.recall")).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                return false;
            }
        });
        onCall.until(d -> !onCall.driver().findElement(By.id("alert")).isDisplayed());
        assertThat(onCall.driver().findElement(By.id("main")).getText()).doesNotContain("Wrong patient");

        sender.find(By.id("compose-text")).sendKeys("Can you see Mr Jones in bay 2 after the ward round?");
        sender.find(By.id("compose-send")).click();
        sender.until(d -> sender.find(By.id("messages")).getText().contains("Mr Jones"));
        onCall.open("/app#inbox");
        onCall.until(d -> onCall.find(By.cssSelector("#inbox-list li")).getText().contains("1 unread"));
        onCall.screenshot("app-inbox");
        onCall.size(PHONE).screenshot("app-inbox-phone");
        onCall.open("/app#c/" + chat);
        onCall.until(d -> onCall.find(By.id("messages")).getText().contains("Mr Jones"));
        assertThat(onCall.find(By.id("messages")).getText()).doesNotContain("Wrong patient");
        sender.find(By.cssSelector("#messages .receipt.read[data-user='" + ben.id() + "']"));
        sender.screenshot("app-conversation");
    }

    @Test
    void aSignedOutBrowserReadsNothingAndConsoleStaffAreSentToTheConsole() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Dr Ben Ode");
        signIn(onCall, ben);
        String token = (String) script(onCall, """
                const done = arguments[arguments.length - 1];
                fetch('/app/session/token', {method: 'POST', headers: {'X-CSRF-TOKEN':
                    document.querySelector('meta[name=csrf-token]').content}}).then(r => r.json())
                    .then(t => done(t.token));
                """, true);
        String cookie = onCall.cookie("wardfleet_app");
        http.get().uri("/api/v1/me/inbox").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();

        onCall.find(By.id("signout")).click();
        onCall.until(ExpectedConditions.urlContains("/app/signin"));
        // the token the page held is dead at once, not at its expiry; the cookie opens nothing
        http.get().uri("/api/v1/me/inbox").headers(h -> h.setBearerAuth(token)).exchange().expectStatus()
                .isUnauthorized();
        http.get().uri("/api/v1/messages/stream").headers(h -> h.setBearerAuth(token)).exchange().expectStatus()
                .isUnauthorized();
        http.get().uri("/app").cookie("wardfleet_app", cookie).exchange().expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/app/signin");
        http.post().uri("/app/session/token").cookie("wardfleet_app", cookie).exchange().expectStatus()
                .isForbidden();
        onCall.open("/app");
        assertThat(onCall.driver().getCurrentUrl()).contains("/app/signin");

        onCall.open("/app/signin");
        onCall.find(By.id("email")).sendKeys(admin.email());
        onCall.find(By.id("password")).sendKeys(admin.password());
        onCall.find(By.cssSelector("#signin button[type=submit]")).click();
        onCall.until(d -> onCall.mainText().contains("This account is for the console"));
        assertThat(onCall.cookie("wardfleet_app")).isNull();
    }

    private String page(TestApi.User from, Map<String, String> to, String text, String policy) {
        return (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(from.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", to, "text", text, "priority", "STAT", "escalationPolicyId", policy))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private static void signIn(ConsoleBrowser browser, TestApi.User user) {
        browser.open("/app/signin");
        browser.find(By.id("email")).sendKeys(user.email());
        browser.find(By.id("password")).sendKeys(user.password());
        browser.find(By.cssSelector("#signin button[type=submit]")).click();
        browser.until(ExpectedConditions.urlMatches("/app/?$"));
        browser.until(d -> browser.find(By.id("connection")).getText().startsWith("Live"));
    }

    /**
     * As if the tab were behind another, with notifications allowed: what the app hands the Notification API is
     * recorded, as the operating system would show it.
     */
    private static void backgroundTabWithRecordedNotifications(ConsoleBrowser browser) {
        script(browser, """
                Object.defineProperty(document, 'hidden', {get: () => true, configurable: true});
                window.__notifications = [];
                window.Notification = function (title, options) {
                  window.__notifications.push({title: title, body: options && options.body});
                  this.close = () => {};
                };
                window.Notification.permission = 'granted';
                """);
    }

    private static Object script(ConsoleBrowser browser, String js) {
        return ((JavascriptExecutor) browser.driver()).executeScript(js);
    }

    private static Object script(ConsoleBrowser browser, String js, boolean async) {
        return ((JavascriptExecutor) browser.driver()).executeAsyncScript(js);
    }
}
