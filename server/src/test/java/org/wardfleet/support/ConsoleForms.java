package org.wardfleet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** The console's sign-in form posted over plain HTTP, without a browser (cookie checks, benchmarks). */
public final class ConsoleForms {

    private ConsoleForms() {
    }

    /** A signed-in console session: its cookie, and the raw {@code Set-Cookie} header that made it. */
    public record Session(String cookie, String setCookie) {
    }

    /** Fetches the form (its CSRF cookie and token), posts the credentials, expects the fleet page next. */
    public static Session signIn(WebTestClient http, String email, String password) {
        EntityExchangeResult<String> form = http.get().uri("/console/signin").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        String csrfCookie = setCookie(form, "wardfleet_console_csrf");
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.getResponseBody());
        assertThat(token.find()).as("the sign-in form carries a CSRF token").isTrue();
        EntityExchangeResult<Void> signedIn = http.post().uri("/console/signin")
                .cookie("wardfleet_console_csrf", value(csrfCookie))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("email", email).with("password", password)
                        .with("_csrf", token.group(1)))
                .exchange().expectStatus().isSeeOther()
                .expectHeader().location("/console/devices")
                .expectBody().isEmpty();
        String session = setCookie(signedIn, "wardfleet_console");
        return new Session(value(session), session);
    }

    /** The {@code Set-Cookie} header that sets {@code name}. */
    public static String setCookie(EntityExchangeResult<?> result, String name) {
        List<String> cookies = result.getResponseHeaders().get("Set-Cookie");
        assertThat(cookies).as("Set-Cookie headers").isNotNull();
        return cookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("No " + name + " cookie in " + cookies));
    }

    private static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }
}
