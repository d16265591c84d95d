package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.wardfleet.identity.Tenants;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.ConsoleForms;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * IT connects the nurse-call system in real Chromium: registers it, hands it the code shown once, later gives it a new
 * one — after which only the new code pages anyone — and security staff look without being able to change a thing.
 */
@WardfleetTest
class ConsoleIntegrationsTests {

    static ConsoleBrowser browser;

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired MongoDatabase db;
    @Autowired Tenants tenants;

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
    void aSenderRegisteredInTheBrowserPagesWithItsCodeAndAfterANewCodeOnlyTheNewOneWorks() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN", "Nora Nurse");
        String sender = "nurse-call-" + System.nanoTime();
        browser.signIn(admin.email(), admin.password()).open("/console/integrations");
        assertThat(browser.find(By.id("fcm")).getText()).contains("Configured");
        assertThat(browser.find(By.id("gateway-configured")).getText()).isIn("Yes", "No");
        browser.find(By.cssSelector("details.register summary")).click();
        browser.find(By.id("senderId")).sendKeys(sender);
        browser.find(By.id("allowedRecipients")).sendKeys("user:*\nrole:rapid-response");
        browser.screenshot("integrations-register");
        browser.find(By.id("register-sender")).click();

        String first = browser.find(By.id("security-code")).getText();
        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(browser.find(By.id("new-code")).getText()).contains("shown only this once");
        assertThat(browser.find(By.id("sender-" + sender)).getText()).contains("user:*")
                .contains("role:rapid-response");
        browser.screenshot("integrations-code-shown");
        assertThat(api.wctp(submit(sender, first, nurse.email()))).contains("successCode=\"200\"");
        // shown once: the page, opened again, has no code
        browser.open("/console/integrations");
        assertThat(browser.driver().getPageSource()).doesNotContain(first);

        browser.find(By.id("rotate-" + sender)).click();
        assertThat(browser.find(By.id("confirmation")).getText()).contains("new security code").contains(sender)
                .contains("stops working at once");
        browser.find(By.id("confirm-button")).click();
        browser.until(ExpectedConditions.presenceOfElementLocated(By.id("security-code")));
        String second = browser.find(By.id("security-code")).getText();
        assertThat(second).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(browser.find(By.id("new-code")).getText()).contains("previous code stopped working");

        assertThat(api.wctp(submit(sender, second, nurse.email()))).contains("successCode=\"200\"");
        assertThat(api.wctp(submit(sender, first, nurse.email()))).contains("errorCode=\"402\"");

        // changing what it may page, from its own page
        browser.open("/console/integrations/wctp/" + sender);
        browser.find(By.id("allowedRecipients")).clear();
        browser.find(By.id("allowedRecipients")).sendKeys("role:rapid-response");
        browser.find(By.id("save-sender")).click();
        browser.until(ExpectedConditions.urlContains("changed=" + sender));
        assertThat(browser.find(By.id("sender-" + sender)).getText()).doesNotContain("user:*");
        assertThat(api.wctp(submit(sender, second, nurse.email()))).contains("errorCode=\"403\"");
        browser.screenshot("integrations");
        browser.size(ConsoleBrowser.TABLET);
        browser.screenshot("integrations-tablet");
    }

    @Test
    void securityStaffSeeIntegrationsButCannotRegisterChangeOrRotate() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User officer = api.createUser(admin.token(), "SECURITY", "Sam Security");
        String sender = "alarms-" + System.nanoTime();
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", "a-long-enough-code-123",
                        "allowedRecipients", List.of("role:*")))
                .exchange().expectStatus().isCreated();

        browser.signIn(officer.email(), officer.password()).open("/console/integrations");
        assertThat(browser.find(By.id("sender-" + sender)).getText()).contains("role:*");
        assertThat(browser.mainText()).contains("read-only access").contains("Pager gateway").contains("FCM");
        assertThat(browser.driver().findElements(By.cssSelector("#main form, details.register, .row-actions, "
                + ".button.danger"))).isEmpty();
        browser.screenshot("integrations-security");
        browser.open("/console/integrations/wctp/" + sender);
        assertThat(browser.mainText()).contains("role:*");
        assertThat(browser.driver().findElements(By.cssSelector("#main form"))).isEmpty();

        String session = browser.cookie("wardfleet_console");
        String token = browser.csrfToken();
        http.post().uri("/console/integrations/wctp/{id}/code", sender).cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData("_csrf", token))
                .exchange().expectStatus().isForbidden();
        http.post().uri("/console/integrations/wctp").cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("senderId", "forged").with("allowedRecipients", "role:*")
                        .with("_csrf", token))
                .exchange().expectStatus().isForbidden();
        http.post().uri("/console/integrations/wctp/{id}", sender).cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("allowedRecipients", "user:*").with("_csrf", token))
                .exchange().expectStatus().isForbidden();
        // unchanged, and the old code still works
        assertThat(api.wctp(TestApi.wctpSubmit(sender, "a-long-enough-code-123", "m-" + System.nanoTime(),
                "user:" + officer.email(), "x"))).contains("errorCode=\"403\"");
        http.get().uri("/api/v1/wctp/senders/{id}", sender).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$.allowedRecipients[0]").isEqualTo("role:*")
                .jsonPath("$.securityCodeChangedAt").doesNotExist();
        http.get().uri("/api/v1/wctp/senders/forged").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void theGatewayStatusIsEachOrganisationsOwn() {
        String email = "admin-" + UUID.randomUUID() + "@gateway.test";
        Tenants.NewTenant tenant = tenants.create("Gateway Hospital", email,
                "pw-gateway-admin-1").block();
        TestApi.User admin = new TestApi.User(tenant.adminUserId(), email, "pw-gateway-admin-1",
                api.token(email, "pw-gateway-admin-1"));
        TestApi.User outsider = api.newOrganisation();
        Instant sent = Instant.parse("2026-12-01T03:12:07Z");
        // a pager message the gateway took for the first organisation, as the pager fallback records it
        Mono.from(db.getCollection("pager_fallbacks").insertOne(new Document("_id",
                "m-" + System.nanoTime() + ":u").append("orgId", tenant.orgId()).append("outcome", "PAGER_SENT")
                .append("outcomeAt", Date.from(sent)).append("code", 200))).block();

        // each administrator's console shows their own organisation's gateway history only
        assertThat(gatewayPanel(admin)).contains("1 Dec 2026, 03:12 UTC");
        assertThat(gatewayPanel(outsider)).contains("No pager message yet").doesNotContain("1 Dec 2026");
    }

    private String gatewayPanel(TestApi.User who) {
        ConsoleForms.Session session = ConsoleForms.signIn(http, who.email(), who.password());
        String html = http.get().uri("/console/integrations").cookie("wardfleet_console", session.cookie()).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return html.substring(html.indexOf("id=\"gateway\""), html.indexOf("id=\"webhook\""));
    }

    private static String submit(String sender, String code, String email) {
        return TestApi.wctpSubmit(sender, code, "m-" + System.nanoTime(), "user:" + email, "Bed 12 call bell");
    }
}
