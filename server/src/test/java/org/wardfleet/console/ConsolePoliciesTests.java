package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
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
 * IT's policy work in real Chromium: write a policy, see the schema's error at its line, fix it, publish and assign it,
 * and watch the devices take it up setting by setting — and, as security staff, look without changing anything.
 */
@WardfleetTest
class ConsolePoliciesTests {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    /** Line 8 breaks the schema: an auto-lock of 5 s is below its minimum of 15. */
    static final String WITH_ERROR = """
            apiVersion: wardfleet.org/policy/v1
            kind: Policy
            name: icu-phones
            description: ICU phones <b>lock</b> faster
            settings:
              passcode:
                minLength: 12
                autoLockSeconds: 5
              restrictions:
                camera: blocked
            """;

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
    void anErrorIsShownAtItsLineThenThePublishedAndAssignedPolicyRollsOutSettingBySetting() {
        TestApi.User admin = api.newOrganisation();
        TestDevice icuPhone = deviceInGroup(admin, "ICU");
        TestDevice other = api.enrolledDevice(admin.token(), "COPE", null);

        browser.signIn(admin.email(), admin.password()).open("/console/policies");
        assertThat(browser.find(By.id("policies")).getText()).contains("cope-clinical").contains("Baseline");
        browser.find(By.id("new-policy")).click();
        WebElement editor = browser.find(By.id("document"));
        editor.clear();
        editor.sendKeys(WITH_ERROR);
        browser.find(By.id("save")).click();

        // the schema's error, at its line: listed, numbered in the gutter, the text kept as typed
        WebElement errors = browser.find(By.id("errors"));
        assertThat(errors.getText()).contains("Line 8").contains("15").contains("Nothing was saved");
        assertThat(browser.find(By.id("line-8")).getDomAttribute("class")).contains("bad");
        assertThat(browser.driver().findElements(By.cssSelector(".gutter li.bad"))).hasSize(1);
        assertThat(browser.find(By.id("document")).getDomProperty("value")).isEqualTo(WITH_ERROR);
        errors.findElement(By.linkText("Line 8")).click();
        assertThat(((JavascriptExecutor) browser.driver()).executeScript(
                "var t = document.activeElement; return t.id + ':' + t.value.substring(t.selectionStart, t.selectionEnd)"))
                .isEqualTo("document:    autoLockSeconds: 5");
        browser.screenshot("policy-error");
        assertThat(api.http().get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain("icu-phones");

        WebElement fixed = browser.find(By.id("document"));
        fixed.clear();
        fixed.sendKeys(WITH_ERROR.replace("autoLockSeconds: 5", "autoLockSeconds: 60"));
        browser.find(By.id("save")).click();
        assertThat(browser.find(By.id("done")).getText()).contains("Saved as version 1");
        // the description is someone's input: shown as text, never as markup
        assertThat(browser.mainText()).contains("ICU phones <b>lock</b> faster");
        assertThat(browser.driver().findElements(By.cssSelector("#main h1 b, #main .page-head b"))).isEmpty();
        String policyUrl = browser.driver().getCurrentUrl();
        String policyId = policyUrl.substring(policyUrl.indexOf("/console/policies/") + 18, policyUrl.indexOf('?'));

        browser.find(By.id("publish-latest")).click();
        assertThat(browser.find(By.id("confirmation")).getText()).contains("Publish version 1 of icu-phones?");
        browser.find(By.id("confirm-button")).click();
        assertThat(browser.find(By.id("done")).getText()).contains("Published");
        new Select(browser.find(By.id("assign-to"))).selectByValue("group:");
        browser.find(By.id("assign-group")).sendKeys("ICU");
        browser.find(By.id("assign-button")).click();
        assertThat(browser.find(By.id("confirmation")).getText()).contains("Assign icu-phones to group ICU?");
        browser.find(By.id("confirm-button")).click();
        assertThat(browser.find(By.id("assignments")).getText()).contains("group ICU");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tallies"), "1 not fetched yet"));
        assertThat(cell("passcode.minLength", "waiting")).isEqualTo("1");
        // each setting with the NIST controls it serves, beside it
        assertThat(row("passcode.minLength").getText()).contains("SP 800-53 IA-5(1)").contains("SP 800-124r2 4.1");
        assertThat(row("restrictions.camera").getText()).contains("SP 800-53 SC-42");

        // the phone fetches its policy and reports; the open page follows without a reload
        WebElement before = browser.find(By.id("rollout"));
        Map<?, ?> claims = claims(api.deviceCall(icuPhone, "GET", "/device/v1/policy", null).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        api.deviceCall(icuPhone, "POST", "/device/v1/policy/status", Map.of("version", claims.get("ver"), "results",
                List.of(Map.of("setting", "passcode.minLength", "status", "APPLIED"),
                        Map.of("setting", "passcode.autoLockSeconds", "status", "FAILED", "reason",
                                "the device allows 30 s at least"),
                        Map.of("setting", "restrictions.camera", "status", "NOT_SUPPORTED", "reason",
                                "no camera policy on this Android version")))).expectStatus().isAccepted();
        browser.until(org.wardfleet.support.ConsoleBrowser.left(before));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tallies"), "1 failed"));
        assertThat(cell("passcode.minLength", "applied")).isEqualTo("1");
        assertThat(cell("passcode.autoLockSeconds", "failed")).isEqualTo("1 →");
        // not supported is not applied
        assertThat(cell("restrictions.camera", "not-supported")).isEqualTo("1 →");
        assertThat(cell("restrictions.camera", "applied")).isEqualTo("0");
        browser.screenshot("policy-rollout");
        browser.size(ConsoleBrowser.TABLET);
        browser.screenshot("policy-rollout-tablet");
        browser.size(ConsoleBrowser.LAPTOP);

        // the failing devices are one click away: the fleet list, filtered to them
        row("passcode.autoLockSeconds").findElement(By.cssSelector("td.failed a")).click();
        browser.until(ExpectedConditions.urlContains("/console/devices?policy=" + policyId));
        browser.waitForPage();
        assertThat(browser.find(By.id("policy-chip")).getText()).contains("icu-phones")
                .contains("passcode.autoLockSeconds").contains("failed");
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#devices tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains(icuPhone.deviceId().substring(0, 8))
                .doesNotContain(other.deviceId().substring(0, 8));
        browser.screenshot("policy-failing-devices");
    }

    @Test
    void securityStaffSeePoliciesAndTheirRolloutButCannotEditPublishOrAssign() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User officer = api.createUser(admin.token(), "SECURITY");
        browser.signIn(officer.email(), officer.password()).open("/console/policies");
        assertThat(browser.mainText()).contains("read-only access").contains("cope-clinical");
        assertThat(browser.driver().findElements(By.id("new-policy"))).isEmpty();
        browser.find(By.linkText("cope-clinical")).click();
        browser.waitForPage();
        assertThat(browser.find(By.id("source")).getText()).contains("minLength: 8");
        assertThat(browser.find(By.id("settings")).getText()).contains("passcode.minLength").contains("SP 800-53 AC-7");
        assertThat(browser.driver().findElements(By.cssSelector(
                "#main form, #main textarea, #publish-latest, #assign, #main .button"))).isEmpty();
        browser.screenshot("policy-security");
        String url = browser.driver().getCurrentUrl();
        String policyId = url.substring(url.lastIndexOf('/') + 1);

        // forged requests with their own session and its valid token: the policy service refuses each
        String session = browser.cookie("wardfleet_console");
        String token = browser.csrfToken();
        forged(session, "/console/policies/" + policyId + "/versions", BodyInserters.fromFormData("document",
                WITH_ERROR.replace("autoLockSeconds: 5", "autoLockSeconds: 60").replace("icu-phones", "cope-clinical"))
                .with("action", "save").with("_csrf", token));
        forged(session, "/console/policies", BodyInserters.fromFormData("document",
                WITH_ERROR.replace("autoLockSeconds: 5", "autoLockSeconds: 60")).with("action", "save")
                .with("_csrf", token));
        forged(session, "/console/policies/" + policyId + "/publish", BodyInserters.fromFormData("version", "1")
                .with("_csrf", token));
        forged(session, "/console/policies/" + policyId + "/assignments", BodyInserters.fromFormData("to",
                "platform:ios").with("_csrf", token));
        http.get().uri("/console/policies/new").cookie("wardfleet_console", session).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/policies/{id}", policyId).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$.latestVersion").isEqualTo(1).jsonPath("$.assignments.length()").isEqualTo(1);
        http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("icu-phones"));
    }

    @Test
    void theApiGivesErrorLinesPerSettingRolloutAndFailingDevicesOnlyWithinTheOrganisation() {
        TestApi.User admin = api.newOrganisation();
        http.post().uri("/api/v1/policies/validate").headers(h -> h.setBearerAuth(admin.token())).contentType(YAML)
                .bodyValue(WITH_ERROR).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.valid").isEqualTo(false)
                .jsonPath("$.errors[0].line").isEqualTo(8)
                .jsonPath("$.errors[0].path").isEqualTo("settings.passcode.autoLockSeconds");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        http.post().uri("/api/v1/policies/validate").headers(h -> h.setBearerAuth(nurse.token())).contentType(YAML)
                .bodyValue(WITH_ERROR).exchange().expectStatus().isForbidden();

        String policyId = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(YAML).bodyValue(WITH_ERROR.replace("autoLockSeconds: 5", "autoLockSeconds: 60"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        http.post().uri("/api/v1/policies/{id}/publish", policyId).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        http.post().uri("/api/v1/policies/{id}/assignments", policyId).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("group", "ICU")).exchange().expectStatus().isCreated();
        TestDevice partial = deviceInGroup(admin, "ICU");
        Map<?, ?> claims = claims(api.deviceCall(partial, "GET", "/device/v1/policy", null).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        api.deviceCall(partial, "POST", "/device/v1/policy/status", Map.of("version", claims.get("ver"), "results",
                List.of(Map.of("setting", "passcode.minLength", "status", "APPLIED"),
                        Map.of("setting", "passcode.autoLockSeconds", "status", "APPLIED"),
                        Map.of("setting", "restrictions.camera", "status", "NOT_SUPPORTED"))))
                .expectStatus().isAccepted();

        // a device that could not enforce a setting is not counted as applied
        http.get().uri("/api/v1/policies/{id}/rollout", policyId).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.counts.applied").isEqualTo(0)
                .jsonPath("$.counts.notSupported").isEqualTo(1)
                .jsonPath("$.settings[?(@.setting == 'restrictions.camera')].counts.notSupported").isEqualTo(1)
                .jsonPath("$.settings[?(@.setting == 'restrictions.camera')].counts.applied").isEqualTo(0)
                .jsonPath("$.settings[?(@.setting == 'passcode.minLength')].controls[0]").isEqualTo("SP 800-53 IA-5(1)");
        http.get().uri("/api/v1/policies/{id}/rollout/devices?setting=restrictions.camera&result=NOT_SUPPORTED",
                        policyId).headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0]").isEqualTo(partial.deviceId())
                .jsonPath("$.items.length()").isEqualTo(1);

        // another organisation sees none of it
        TestApi.User stranger = api.newOrganisation();
        http.get().uri("/api/v1/policies/{id}/rollout/devices?result=NOT_SUPPORTED", policyId)
                .headers(h -> h.setBearerAuth(stranger.token())).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/policies/{id}/rollout", policyId).headers(h -> h.setBearerAuth(stranger.token()))
                .exchange().expectStatus().isNotFound();
    }

    private void forged(String session, String path, BodyInserters.FormInserter<String> form) {
        http.post().uri(path).cookie("wardfleet_console", session).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form).exchange().expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("Not allowed"));
    }

    private TestDevice deviceInGroup(TestApi.User admin, String group) {
        String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                "groups", List.of(group))).get("secret");
        TestDevice device = TestDevice.p256();
        api.enroll(secret, device, "android", Map.of());
        return device;
    }

    private static WebElement row(String setting) {
        return browser.find(By.cssSelector("#settings tr[data-setting='" + setting + "']"));
    }

    private static String cell(String setting, String column) {
        return row(setting).findElement(By.cssSelector("td." + column)).getText();
    }

    private static Map<?, ?> claims(String jws) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jws.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return tools.jackson.databind.json.JsonMapper.builder().build().readValue(payload, Map.class);
    }
}
