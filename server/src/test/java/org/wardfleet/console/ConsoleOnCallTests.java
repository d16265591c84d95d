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
import org.wardfleet.support.WardfleetTest;

/**
 * The on-call section in real Chromium: a role's calendar in its own time zone (daylight-saving days included), an
 * override that fills a gap, escalation policies written in the browser and read back from the API — and security
 * staff who see all of it and can change none of it.
 */
@WardfleetTest
class ConsoleOnCallTests {

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
    void anOverrideAddedInTheBrowserFillsTheGapOnTheCalendarAndDeletingItOpensTheGapAgain() {
        String admin = api.adminToken();
        TestApi.User ada = api.createUser(admin, "CLINICIAN", "Dr Ada Rota");
        TestApi.User ben = api.createUser(admin, "CLINICIAN", "Dr Ben Cover");
        String role = role(admin, "Registrar " + UUID.randomUUID().toString().substring(0, 6), "Europe/London",
                List.of(ada.id()), "2027-04-26T08:00");
        // Ada is on leave Wednesday 08:00 to Thursday 08:00: nobody covers the role then
        http.post().uri("/api/v1/oncall/roles/{id}/leave", role).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("userId", ada.id(), "from", "2027-05-05T08:00", "to", "2027-05-06T08:00"))
                .exchange().expectStatus().isCreated();

        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD)
                .open("/console/oncall?role=" + role + "&view=week&date=2027-05-03");
        WebElement wednesday = browser.find(By.id("day-2027-05-05"));
        assertThat(wednesday.findElement(By.cssSelector(".block.gap")).getText()).contains("08:00–24:00")
                .contains("Nobody on call");
        assertThat(browser.find(By.id("gaps")).getText()).contains("1 gap").contains("Wed 5 May 2027, 08:00")
                .contains("Thu 6 May 2027, 08:00").contains("24 h");
        browser.screenshot("oncall-week-gap");

        browser.find(By.id("person")).sendKeys(ben.email());
        type(browser.find(By.id("from")), "2027-05-05T08:00");
        type(browser.find(By.id("to")), "2027-05-06T08:00");
        browser.find(By.id("check-override")).click();
        WebElement confirmation = browser.find(By.id("confirmation"));
        assertThat(confirmation.getText()).contains("Add this override?").contains("Dr Ben Cover")
                .contains("Wed 5 May 2027, 08:00 Europe/London").contains("24 h").contains("nobody (a gap)");
        browser.screenshot("oncall-override-confirm");
        browser.find(By.id("confirm-button")).click();

        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
        wednesday = browser.find(By.id("day-2027-05-05"));
        assertThat(wednesday.findElements(By.cssSelector(".block.gap"))).isEmpty();
        assertThat(wednesday.findElement(By.cssSelector(".block.override")).getText()).contains("08:00–24:00")
                .contains("Dr Ben Cover").contains("Override");
        assertThat(browser.driver().findElements(By.id("gaps"))).isEmpty();
        assertThat(browser.find(By.id("no-gaps")).getText()).contains("every hour");
        browser.screenshot("oncall-week-override");
        browser.size(ConsoleBrowser.TABLET);
        browser.screenshot("oncall-week-tablet");
        browser.size(ConsoleBrowser.LAPTOP);
        // the API, which pages, sees the same: Ben is on call Wednesday night
        http.get().uri("/api/v1/oncall/roles/{id}/now?at=2027-05-05T22:00:00Z", role)
                .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.users[0].id").isEqualTo(ben.id()).jsonPath("$.override").isEqualTo(true);

        browser.find(By.cssSelector("#covers tr:has(td) .delete-cover")).isDisplayed();
        List<WebElement> deletes = browser.driver().findElements(By.cssSelector("#covers .delete-cover"));
        deletes.get(deletes.size() - 1).click();
        assertThat(browser.find(By.id("confirmation")).getText()).contains("Delete this override?")
                .contains("Dr Ben Cover");
        browser.find(By.id("confirm-button")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("done"), "Deleted"));
        assertThat(browser.find(By.id("day-2027-05-05")).findElement(By.cssSelector(".block.gap")).getText())
                .contains("Nobody on call");
    }

    @Test
    void theWeekTheClocksGoForwardShowsA23HourSundayWithItsTrueShiftLengths() {
        String admin = api.adminToken();
        TestApi.User ada = api.createUser(admin, "CLINICIAN", "Dr Ada Rota");
        TestApi.User ben = api.createUser(admin, "CLINICIAN", "Dr Ben Cover");
        // a day at a time, handing over at 08:00 London time; Ada has Saturday 27 March 2027
        String role = role(admin, "Night " + UUID.randomUUID().toString().substring(0, 6), "Europe/London",
                List.of(ada.id(), ben.id()), "2027-03-27T08:00");

        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD)
                .open("/console/oncall?role=" + role + "&view=week&date=2027-03-24");
        WebElement sunday = browser.find(By.id("day-2027-03-28"));
        assertThat(sunday.getText()).contains("Sun 28 Mar").contains("23-hour day: clocks go forward");
        List<WebElement> blocks = sunday.findElements(By.cssSelector(".block"));
        assertThat(blocks).hasSize(2);
        // Ada's shift runs on to 08:00 Sunday: eight hours on the clock, seven in fact (01:00 becomes 02:00)
        assertThat(blocks.get(0).getText()).contains("00:00–08:00").contains("(7 h)").contains("Dr Ada Rota");
        assertThat(blocks.get(1).getText()).contains("08:00–24:00").contains("(16 h)").contains("Dr Ben Cover");
        assertThat(browser.find(By.id("day-2027-03-27")).getText()).doesNotContain("hour day")
                .contains("00:00–08:00").contains("Nobody on call").contains("08:00–24:00 (16 h)");
        browser.screenshot("oncall-week-dst");

        // and the month: both changes of the year are marked where they fall, autumn's day is 25 hours
        browser.open("/console/oncall?role=" + role + "&view=month&date=2027-10-01");
        WebElement autumn = browser.find(By.id("day-2027-10-31"));
        assertThat(autumn.getText()).contains("25-hour day: clocks go back").contains("00:00–08:00");
        browser.screenshot("oncall-month");
        browser.open("/console/oncall?role=" + role + "&view=month&date=2027-03-01");
        assertThat(browser.find(By.id("day-2027-03-28")).getText()).contains("23-hour day");
    }

    @Test
    void anEscalationPolicyCreatedAndEditedInTheBrowserIsWhatTheApiReturns() {
        String admin = api.adminToken();
        TestApi.User ada = api.createUser(admin, "CLINICIAN", "Dr Ada Rota");
        TestApi.User charge = api.createUser(admin, "CLINICIAN", "Charge Nurse Cole");
        String roleName = "Outreach " + UUID.randomUUID().toString().substring(0, 6);
        String role = role(admin, roleName, "Europe/London", List.of(ada.id()), "2026-01-05T08:00");
        String name = "Deteriorating patient " + UUID.randomUUID().toString().substring(0, 6);

        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD).open("/console/oncall/policies");
        browser.find(By.id("new-policy")).click();
        browser.find(By.id("name")).sendKeys(name);
        WebElement repeat = browser.find(By.id("repeat"));
        repeat.clear();
        repeat.sendKeys("2");
        new Select(browser.find(By.id("step-0-target-0-value"))).selectByVisibleText(roleName);
        replace(browser.find(By.id("step-0-wait")), "2");
        WebElement editor = browser.find(By.id("policy-editor"));
        browser.find(By.id("add-step")).click();
        browser.until(org.wardfleet.support.ConsoleBrowser.left(editor));
        browser.find(By.id("step-1-target-0-value")).sendKeys(charge.email());
        replace(browser.find(By.id("step-1-wait")), "0");
        browser.find(By.id("save-policy")).click();
        // refused next to the field, with what is allowed
        WebElement waitError = browser.find(By.id("step-1-wait-error"));
        assertThat(waitError.getText()).contains("1440 minutes");
        assertThat(browser.find(By.id("step-1-wait")).getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("oncall-policy-error");
        replace(browser.find(By.id("step-1-wait")), "5");
        browser.find(By.id("save-policy")).click();
        WebElement confirmation = browser.find(By.id("confirmation"));
        assertThat(confirmation.getText()).contains("Create this escalation policy?")
                .contains("whoever is on call for " + roleName).contains(charge.email()).contains("2 times");
        browser.find(By.id("confirm-button")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
        assertThat(browser.mainText()).contains(name).contains("whoever is on call for " + roleName)
                .contains("Charge Nurse Cole");
        browser.screenshot("oncall-policies");

        Map<?, ?> created = policyNamed(admin, name);
        String id = (String) created.get("id");
        assertThat(created.get("repeat")).isEqualTo(2);
        assertThat((List<?>) created.get("steps")).hasSize(2);
        assertThat(step(created, 0)).containsEntry("waitSeconds", 120);
        assertThat(target(created, 0)).containsEntry("roleId", role);
        assertThat(step(created, 1)).containsEntry("waitSeconds", 300);
        assertThat(target(created, 1)).containsEntry("userId", charge.id());

        // edit: one step fewer, a shorter wait, a new name
        browser.find(By.cssSelector("#policy-" + id + " .edit-policy")).click();
        editor = browser.find(By.id("policy-editor"));
        assertThat(browser.find(By.id("step-1-target-0-value")).getDomProperty("value")).isEqualTo(charge.email());
        browser.find(By.id("remove-step-1")).click();
        browser.until(org.wardfleet.support.ConsoleBrowser.left(editor));
        replace(browser.find(By.id("step-0-wait")), "0.5");
        replace(browser.find(By.id("name")), name + " (edited)");
        browser.screenshot("oncall-policy-edit");
        browser.find(By.id("save-policy")).click();
        assertThat(browser.find(By.id("confirmation")).getText()).contains("Save changes");
        browser.find(By.id("confirm-button")).click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));

        Map<?, ?> edited = http.get().uri("/api/v1/escalation-policies/{id}", id).headers(h -> h.setBearerAuth(admin))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(edited.get("name")).isEqualTo(name + " (edited)");
        assertThat((List<?>) edited.get("steps")).hasSize(1);
        assertThat(step(edited, 0)).containsEntry("waitSeconds", 30);
        assertThat(target(edited, 0)).containsEntry("roleId", role);
    }

    @Test
    void securityStaffSeeCalendarsAndPoliciesButNothingThatChangesThemAndAForgedPostIsRefused() {
        String admin = api.adminToken();
        TestApi.User ada = api.createUser(admin, "CLINICIAN", "Dr Ada Rota");
        TestApi.User officer = api.createUser(admin, "SECURITY");
        String role = role(admin, "Security view " + UUID.randomUUID().toString().substring(0, 6), "Europe/London",
                List.of(ada.id()), "2027-06-07T08:00");
        String policy = (String) http.post().uri("/api/v1/escalation-policies").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("name", "Security sees " + UUID.randomUUID(), "repeat", 1, "steps",
                        List.of(Map.of("targets", List.of(Map.of("roleId", role)), "waitSeconds", 60))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        browser.signIn(officer.email(), officer.password())
                .open("/console/oncall?role=" + role + "&view=week&date=2027-06-07");
        assertThat(browser.find(By.id("day-2027-06-08")).getText()).contains("Dr Ada Rota");
        assertThat(browser.driver().findElements(By.cssSelector(
                "#main form[method=post], #add-override, .delete-cover, .button.danger"))).isEmpty();
        browser.screenshot("oncall-security");
        browser.open("/console/oncall/policies");
        assertThat(browser.find(By.id("policy-" + policy)).getText()).contains("whoever is on call for");
        assertThat(browser.driver().findElements(By.cssSelector("#new-policy, .edit-policy, #main form"))).isEmpty();

        String session = browser.cookie("wardfleet_console");
        String token = browser.csrfToken();
        http.post().uri("/console/oncall/roles/{id}/overrides", role).cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("userId", officer.id()).with("from", "2027-06-08T08:00")
                        .with("to", "2027-06-09T08:00").with("_csrf", token))
                .exchange().expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("Not allowed"));
        http.post().uri("/console/oncall/policies/save").cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("id", policy).with("name", "Hijacked").with("repeat", "1")
                        .with("steps[0].wait", "1").with("steps[0].targets[0].kind", "role")
                        .with("steps[0].targets[0].value", role).with("_csrf", token))
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/oncall/roles/{id}/covers?from=2027-06-01T00:00:00Z&to=2027-07-01T00:00:00Z", role)
                .headers(h -> h.setBearerAuth(admin)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
        http.get().uri("/api/v1/escalation-policies/{id}", policy).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectBody().jsonPath("$.name").value(n -> assertThat((String) n).startsWith("Security sees"));

        // another organisation's administrator: neither the policy nor the role's calendar
        TestApi.User other = api.newOrganisation();
        http.get().uri("/api/v1/escalation-policies/{id}", policy).headers(h -> h.setBearerAuth(other.token()))
                .exchange().expectStatus().isNotFound();
        browser.reset().signIn(other.email(), other.password())
                .open("/console/oncall?role=" + role + "&view=week&date=2027-06-07");
        assertThat(browser.mainText()).contains("No on-call roles yet").doesNotContain("Dr Ada Rota");
    }

    private String role(String admin, String name, String zone, List<String> participants, String start) {
        return (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("name", name, "timeZone", zone, "rota", Map.of("participants", participants,
                        "start", start, "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private Map<?, ?> policyNamed(String admin, String name) {
        Map<?, ?> page = http.get().uri("/api/v1/escalation-policies?size=200").headers(h -> h.setBearerAuth(admin))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) page.get("items")).stream().map(Map.class::cast).filter(p -> name.equals(p.get("name")))
                .findFirst().orElseThrow();
    }

    private static Map<String, Object> step(Map<?, ?> policy, int i) {
        return cast(((List<?>) policy.get("steps")).get(i));
    }

    private static Map<String, Object> target(Map<?, ?> policy, int i) {
        return cast(((List<?>) step(policy, i).get("targets")).get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object json) {
        return (Map<String, Object>) json;
    }

    /** A date-time input takes its value as the page's own script would set it (typing depends on the locale). */
    private static void type(WebElement input, String value) {
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1]", input, value);
    }

    private static void replace(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }
}
