package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The audit log in real Chromium: search it, page through it, verify its chain and see where a tampered one breaks. */
@WardfleetTest
class ConsoleAuditTests {

    static ConsoleBrowser browser;

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired AuditLog audit;
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
    void anAdministratorSearchesPagesVerifiesTheChainAndSeesWhereADatabaseEditBreaksIt() {
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        record(orgId, 60);
        browser.signIn(admin.email(), admin.password()).open("/console/audit");

        // search by action: 60 entries, 50 on the first page, the rest on the next, paged by the server
        browser.find(By.id("action")).sendKeys("test.rounds");
        WebElement results = browser.find(By.id("results"));
        browser.find(By.id("search")).click();
        browser.until(org.wardfleet.support.ConsoleBrowser.left(results));
        browser.waitForPage();
        assertThat(browser.find(By.id("count")).getText()).contains("1–50 of 60");
        assertThat(rows()).hasSize(50).allSatisfy(r -> assertThat(r.getText()).contains("test.rounds"));
        assertThat(rows().get(0).getText()).contains("bed-59");
        assertThat(browser.driver().getCurrentUrl()).contains("action=test.rounds");
        browser.screenshot("audit-search");
        results = browser.find(By.id("results"));
        browser.find(By.cssSelector("#results a[rel=next]")).click();
        browser.until(org.wardfleet.support.ConsoleBrowser.left(results));
        browser.waitForPage();
        assertThat(rows()).hasSize(10);
        assertThat(rows().get(9).getText()).contains("bed-0");
        assertThat(browser.driver().getCurrentUrl()).contains("page=1");

        // by target: exactly the one entry about that bed
        browser.open("/console/audit?target=bed-7");
        assertThat(rows()).hasSize(1).allSatisfy(r -> assertThat(r.getText()).contains("bed-7"));

        browser.find(By.id("verify-chain")).click();
        assertThat(browser.find(By.id("verify-result")).getText()).contains("The chain is intact");
        browser.screenshot("audit-verified");

        // an insider with database access rewrites an entry: the next check names it
        long tampered = Mono.from(db.getCollection("audit_entries").find(Filters.and(Filters.eq("orgId", orgId),
                Filters.eq("target", "bed-7"))).first()).block().getLong("seq");
        Mono.from(db.getCollection("audit_entries").updateOne(Filters.and(Filters.eq("orgId", orgId),
                Filters.eq("seq", tampered)), Updates.set("outcome", "FAILURE"))).block();
        WebElement before = browser.find(By.id("verification"));
        browser.find(By.id("verify-chain")).click();
        browser.until(org.wardfleet.support.ConsoleBrowser.left(before));
        assertThat(browser.find(By.id("broken-at")).getText()).isEqualTo(Long.toString(tampered));
        assertThat(browser.find(By.id("verify-result")).getText()).contains("The chain is broken at entry " + tampered)
                .contains("entry content does not match its hash");
        browser.screenshot("audit-broken");
        browser.size(ConsoleBrowser.TABLET).screenshot("audit-broken-tablet");
    }

    @Test
    void securityStaffSearchAndVerifyAsFullyAsAdministrators() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User officer = api.createUser(admin.token(), "SECURITY");
        record(orgOf(admin), 3);
        browser.signIn(officer.email(), officer.password()).open("/console/audit?action=test.rounds");
        assertThat(rows()).hasSize(3);
        assertThat(browser.driver().findElements(By.cssSelector("#main form[method=post]"))).isEmpty();
        browser.find(By.id("verify-chain")).click();
        assertThat(browser.find(By.id("verify-result")).getText()).contains("The chain is intact");
        // another organisation's entries are not theirs to see
        assertThat(browser.open("/console/audit?target=bed-1").mainText()).contains("bed-1");
        TestApi.User stranger = api.newOrganisation();
        browser.reset().signIn(stranger.email(), stranger.password()).open("/console/audit?action=test.rounds");
        assertThat(browser.find(By.id("count")).getText()).contains("No entries");
    }

    private List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("#entries tbody tr"));
    }

    /** Rounds of a ward, one entry per bed, in order. */
    private void record(String orgId, int beds) {
        Flux.range(0, beds).concatMap(i -> audit.record(AuditEvent.of(orgId, AuditEvent.Actor.system(),
                "test.rounds", "bed-" + i, AuditEvent.Outcome.SUCCESS).withDetail("round", "night"))).blockLast();
    }

    private String orgOf(TestApi.User user) {
        return http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId").toString();
    }
}
