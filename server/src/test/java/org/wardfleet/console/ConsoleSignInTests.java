package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.wardfleet.support.ConsoleBrowser;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * Signing in and out of the console in real Chromium: who gets a session, what its cookie is like, and that a
 * signed-out cookie and a form without its CSRF token are worth nothing.
 */
@WardfleetTest
class ConsoleSignInTests {

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
    void administratorSignsInSeesTheFleetAndSigningOutEndsTheSessionOnTheServer() {
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD);
        assertThat(browser.driver().getCurrentUrl()).endsWith("/console/devices");
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("Fleet");
        String session = browser.cookie("wardfleet_console");
        assertThat(session).isNotBlank();
        page(session).expectStatus().isOk();

        browser.signOut();
        assertThat(browser.find(By.cssSelector(".alert.info")).getText()).contains("You are signed out");
        browser.screenshot("signin");
        // the cookie a thief copied before sign-out opens nothing now
        page(session).expectStatus().isEqualTo(HttpStatus.SEE_OTHER)
                .expectHeader().valueMatches("Location", "/console/signin.*");
    }

    @Test
    void sessionCookieIsHttpOnlySecureSameSiteStrictAndOnlyForTheConsole() {
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD);
        Cookie cookie = browser.driver().manage().getCookieNamed("wardfleet_console");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/console");
        // and it authenticates nothing outside the console: the API wants a bearer token
        http.get().uri("/api/v1/devices").cookie("wardfleet_console", cookie.getValue()).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void wrongPasswordIsRefusedOnTheFormWithoutSayingWhichPartWasWrong() {
        browser.signIn(TestApi.ADMIN_EMAIL, "not-the-password-at-all");
        assertThat(browser.find(By.id("signin-error")).getText())
                .isEqualTo("That email and password do not match an account that may sign in.");
        assertThat(browser.cookie("wardfleet_console")).isNull();
    }

    @Test
    void clinicianSigningInIsSentToTheClinicianAppAndGetsNoSession() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        browser.signIn(nurse.email(), nurse.password());
        assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("This console is for IT and security staff");
        assertThat(browser.find(By.id("clinician-app")).getDomAttribute("href")).isEqualTo("/app");
        assertThat(browser.cookie("wardfleet_console")).isNull();
        browser.screenshot("no-console");
        browser.open("/console/devices");
        assertThat(browser.driver().getCurrentUrl()).contains("/console/signin");
    }

    @Test
    void formPostWithoutTheCsrfTokenIsRefused() {
        browser.signIn(TestApi.ADMIN_EMAIL, TestApi.ADMIN_PASSWORD);
        String session = browser.cookie("wardfleet_console");
        String token = browser.csrfToken();
        // a page on another site can make the browser post, but cannot read the token: refused
        http.post().uri("/console/enroll").cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("ownership", "SHARED").with("platform", "ANDROID"))
                .exchange().expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("did not come from this console"));
        // the same post with the session's token goes through
        http.post().uri("/console/enroll").cookie("wardfleet_console", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("ownership", "SHARED").with("platform", "ANDROID")
                        .with("_csrf", token))
                .exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec page(String session) {
        return http.get().uri("/console/devices").cookie("wardfleet_console", session).exchange();
    }
}
