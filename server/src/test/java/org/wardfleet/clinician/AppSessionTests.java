package org.wardfleet.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.wardfleet.support.ConsoleForms;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestClock;
import org.wardfleet.support.WardfleetTest;

/**
 * A ward PC left alone: the app session ends 10 minutes after the person last touched the page — the page's own
 * token renewals do not keep it alive — and the token it held dies with it. Time is moved, not waited for.
 */
@WardfleetTest
@Import(TestClock.Config.class)
class AppSessionTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void anUntouchedAppSignsItselfOutAfterTenMinutesAndItsTokenWithIt() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Dr Ben Ode");
        App app = signIn(ben);
        String token = token(app, false).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody().get("token").toString();
        http.get().uri("/api/v1/me/inbox").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();

        clock.advance(Duration.ofMinutes(6));
        token(app, false).expectStatus().isOk(); // the page renewing by itself: not the person acting
        clock.advance(Duration.ofMinutes(5));
        // the session is gone, so is its CSRF token: refused either way, and the page goes to sign-in
        token(app, false).expectStatus().value(status -> assertThat(status).isIn(401, 403));
        http.get().uri("/app").cookie("wardfleet_app", app.cookie()).exchange().expectStatus().isSeeOther()
                .expectHeader().location("/app/signin");
        http.get().uri("/api/v1/me/inbox").headers(h -> h.setBearerAuth(token)).exchange().expectStatus()
                .isUnauthorized();

        App touched = signIn(ben);
        clock.advance(Duration.ofMinutes(6));
        token(touched, true).expectStatus().isOk(); // a key or a click since the last renewal
        clock.advance(Duration.ofMinutes(5));
        token(touched, false).expectStatus().isOk();
    }

    record App(String cookie, String csrf) {
    }

    private App signIn(TestApi.User user) {
        EntityExchangeResult<String> form = http.get().uri("/app/signin").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        String csrfCookie = value(ConsoleForms.setCookie(form, "wardfleet_app_csrf"));
        Matcher field = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.getResponseBody());
        assertThat(field.find()).isTrue();
        EntityExchangeResult<Void> signedIn = http.post().uri("/app/signin").cookie("wardfleet_app_csrf", csrfCookie)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("email", user.email()).with("password", user.password())
                        .with("_csrf", field.group(1)))
                .exchange().expectStatus().is3xxRedirection().expectHeader().location("/app").expectBody().isEmpty();
        String cookie = value(ConsoleForms.setCookie(signedIn, "wardfleet_app"));
        String page = http.get().uri("/app").cookie("wardfleet_app", cookie).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher meta = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        assertThat(meta.find()).isTrue();
        return new App(cookie, meta.group(1));
    }

    private WebTestClient.ResponseSpec token(App app, boolean active) {
        return http.post().uri("/app/session/token" + (active ? "?active=true" : "")).cookie("wardfleet_app",
                app.cookie()).header("X-CSRF-TOKEN", app.csrf()).exchange();
    }

    private static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }
}
