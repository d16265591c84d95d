package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestClock;
import org.wardfleet.support.WardfleetTest;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Sessions that begin at the hospital's identity provider (a real OpenID provider on loopback, authorization code
 * with PKCE) and sessions that end on time: idle after 15 minutes, at the latest 1 hour after sign-in here, whatever
 * the person does. Time is moved, not waited for.
 */
@WardfleetTest
@Import(TestClock.Config.class)
class ConsoleSessionTests {

    static final MockOAuth2Server PROVIDER = provider();
    static ConsoleBrowser browser;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.oidc.issuer-uri", () -> PROVIDER.issuerUrl("hospital").toString());
        registry.add("wardfleet.oidc.client-id", () -> "wardfleet-console");
        registry.add("wardfleet.oidc.client-secret", () -> "console-client-secret");
        registry.add("wardfleet.console.idle-timeout", () -> "15m");
        registry.add("wardfleet.console.absolute-timeout", () -> "1h");
    }

    @LocalServerPort int port;
    @Autowired TestApi api;
    @Autowired TestClock clock;
    @Autowired WebTestClient http;

    @BeforeEach
    void freshVisitor() {
        if (browser == null) {
            browser = ConsoleBrowser.start("http://localhost:" + port);
        }
        browser.reset();
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        PROVIDER.shutdown();
    }

    @Test
    void signingInWithTheOrganisationUsesTheCodeFlowWithPkceAndOpensTheConsole() throws Exception {
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback("hospital", "it.lead", "JWT",
                List.of("wardfleet-console"), Map.of("email", "it.lead@hospital.test", "name", "Sam Lead",
                        "roles", List.of("ADMIN"), "wardfleet_org", orgId()), 3600));
        browser.open("/console/signin");
        browser.screenshot("signin-provider");
        browser.find(By.id("provider")).click();
        browser.until(d -> d.getCurrentUrl().endsWith("/console/devices"));
        assertThat(browser.find(By.cssSelector(".who")).getText()).contains("it.lead@hospital.test");
        assertThat(browser.cookie("wardfleet_console")).isNotBlank();

        RecordedRequest authorize = recorded("/hospital/authorize");
        assertThat(authorize.getRequestUrl().queryParameter("code_challenge_method")).isEqualTo("S256");
        assertThat(authorize.getRequestUrl().queryParameter("code_challenge")).isNotBlank();
        assertThat(authorize.getRequestUrl().queryParameter("nonce")).isNotBlank();
        RecordedRequest token = recorded("/hospital/token");
        assertThat(token.getBody().readUtf8()).contains("code_verifier=");
    }

    @Test
    void aProviderClinicianGetsNoConsole() {
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback("hospital", "nurse", "JWT",
                List.of("wardfleet-console"), Map.of("email", "nurse.kay@hospital.test", "roles", List.of("CLINICIAN"),
                        "wardfleet_org", orgId()), 3600));
        browser.open("/console/signin");
        browser.find(By.id("provider")).click();
        browser.until(d -> d.findElements(By.id("clinician-app")).size() == 1);
        assertThat(browser.cookie("wardfleet_console")).isNull();
    }

    @Test
    void aCallbackThatThisBrowserDidNotStartIsRefused() {
        // an attacker's own code and state, sent to the victim's browser (login CSRF): no state cookie here, no session
        browser.open("/console/signin/provider/callback?code=attackers-code&state=attackers-state");
        assertThat(browser.find(By.id("signin-error")).getText()).contains("did not complete");
        assertThat(browser.cookie("wardfleet_console")).isNull();
    }

    @Test
    void anIdleSessionEndsAndTheNextPageAsksToSignInAgain() {
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD);
        clock.advance(Duration.ofMinutes(14));
        browser.open("/console/enroll");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Enroll");

        clock.advance(Duration.ofMinutes(16));
        browser.find(By.linkText("Fleet")).click();
        browser.until(d -> d.getCurrentUrl().contains("/console/signin"));
        assertThat(browser.find(By.cssSelector(".alert.info")).getText())
                .isEqualTo("Your session ended. Sign in again to go on.");
        browser.screenshot("signin-expired");
    }

    @Test
    void whatALivePageFetchesByItselfDoesNotKeepAnUnattendedSessionOpen() {
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD);
        String session = browser.cookie("wardfleet_console");
        clock.advance(Duration.ofMinutes(14));
        // a live panel refreshing itself (console.js marks what an SSE "changed" triggers) and the stream's reconnect
        http.get().uri("/console/devices").cookie("wardfleet_console", session).header("HX-Request", "true")
                .header("X-Wardfleet-Background", "1").exchange().expectStatus().isOk();
        clock.advance(Duration.ofMinutes(2)); // 16 minutes since the person last did anything
        browser.open("/console/devices");
        assertThat(browser.driver().getCurrentUrl()).contains("/console/signin");
    }

    @Test
    void aSessionEndsAnHourAfterSignInEvenWhileInUse() {
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD);
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(14));
            browser.open("/console/devices");
            assertThat(browser.driver().getCurrentUrl()).endsWith("/console/devices");
        }
        clock.advance(Duration.ofMinutes(5)); // 61 minutes after sign-in
        browser.open("/console/devices");
        assertThat(browser.driver().getCurrentUrl()).contains("/console/signin");
    }

    private String orgId() {
        return (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
    }

    /** The provider's record of the request to {@code path} (the browser's authorize, the server's token call). */
    private static RecordedRequest recorded(String path) throws InterruptedException {
        for (RecordedRequest r = PROVIDER.takeRequest(60, TimeUnit.SECONDS); r != null;
                r = PROVIDER.takeRequest(60, TimeUnit.SECONDS)) {
            if (r.getRequestUrl().encodedPath().equals(path)) {
                return r;
            }
        }
        throw new AssertionError("The provider saw no request to " + path);
    }

    private static MockOAuth2Server provider() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }
}
