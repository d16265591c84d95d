package org.wardfleet.clinician.internal;

import java.net.URI;
import java.time.Duration;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;

import reactor.core.publisher.Mono;

/**
 * Signing in to the app (email and password, or the organisation's identity provider) and out — one click, for shared
 * ward PCs. CLINICIAN and INCIDENT_LEAD get an app session; IT and security staff without a clinical role get none and
 * are pointed to the console (they have no inbox, and the console is where their work is).
 */
@Controller
class AppSignInPage {

    static final String HOME = "/app";
    static final String PROVIDER_CALLBACK = "/app/signin/provider/callback";
    static final String STATE_COOKIE = "wardfleet_app_signin";

    private final SignIns signIns;
    private final AppSessions sessions;

    AppSignInPage(SignIns signIns, AppSessions sessions) {
        this.signIns = signIns;
        this.sessions = sessions;
    }

    record Credentials(String email, String password) {

        @Override
        public String toString() {
            return "Credentials[email=***, password=***]";
        }
    }

    @GetMapping(AppSecurity.SIGN_IN)
    Mono<Rendering> form(ServerWebExchange exchange) {
        var query = exchange.getRequest().getQueryParams();
        String notice = query.containsKey("signedOut") ? "You are signed out."
                : query.containsKey("expired") ? "Your session ended. Sign in again to go on." : "";
        return Mono.just(page(HttpStatus.OK, notice, ""));
    }

    @PostMapping(AppSecurity.SIGN_IN)
    Mono<Rendering> signIn(Credentials form, ServerWebExchange exchange) {
        if (blank(form.email()) || blank(form.password()) || form.email().length() > 254
                || form.password().length() > 1024) {
            return Mono.just(page(HttpStatus.BAD_REQUEST, "", "Enter your email address and your password."));
        }
        return signIns.password(form.email(), form.password())
                .flatMap(caller -> begin(exchange, caller, SignIns.Method.PASSWORD))
                .map(started -> started ? Rendering.redirectTo(HOME).build() : consoleOnly())
                .onErrorResume(ProblemException.class, refused -> Mono.just(page(
                        HttpStatus.valueOf(refused.getStatusCode().value()), "",
                        refused.getHeaders().getFirst("Retry-After") != null
                                ? "Too many failed sign-ins. Wait " + refused.getHeaders().getFirst("Retry-After")
                                        + " seconds, then try again."
                                : "That email and password do not match an account that may sign in.")));
    }

    /** Off to the identity provider, the state bound to this browser by a short-lived cookie (Lax: it comes back). */
    @GetMapping(AppSecurity.SIGN_IN + "/provider")
    Mono<Rendering> provider(ServerWebExchange exchange) {
        return signIns.startProvider(callback(exchange)).map(start -> {
            exchange.getResponse().addCookie(sessions.cookie(STATE_COOKIE, start.state(), PROVIDER_CALLBACK, "Lax",
                    Duration.ofMinutes(10)));
            return Rendering.redirectTo(start.authorizationUrl().toString()).build();
        });
    }

    @GetMapping(PROVIDER_CALLBACK)
    Mono<Rendering> providerCallback(@RequestParam(required = false) String code,
            @RequestParam(required = false) String state, @RequestParam(required = false) String error,
            ServerWebExchange exchange) {
        HttpCookie bound = exchange.getRequest().getCookies().getFirst(STATE_COOKIE);
        exchange.getResponse().addCookie(sessions.cookie(STATE_COOKIE, "", PROVIDER_CALLBACK, "Lax", Duration.ZERO));
        if (error != null || code == null || state == null || bound == null || !bound.getValue().equals(state)) {
            return Mono.just(page(HttpStatus.UNAUTHORIZED, "",
                    "Signing in with your organisation did not complete. Try again."));
        }
        return signIns.finishProvider(state, code, callback(exchange))
                .flatMap(caller -> begin(exchange, caller, SignIns.Method.PROVIDER))
                // SameSite=Strict: the new cookie does not ride on a redirect begun at the provider's site
                .map(started -> started ? Rendering.view("app/continue").build() : consoleOnly())
                .onErrorResume(ProblemException.class, refused -> Mono.just(page(
                        HttpStatus.valueOf(refused.getStatusCode().value()), "", refused.getBody().getDetail())));
    }

    @PostMapping("/app/signout")
    Mono<Rendering> signOut(ServerWebExchange exchange) {
        return sessions.end(exchange).thenReturn(Rendering.redirectTo(AppSecurity.SIGN_IN + "?signedOut").build());
    }

    private Mono<Boolean> begin(ServerWebExchange exchange, Caller caller, SignIns.Method method) {
        if (!caller.has(Role.CLINICIAN) && !caller.has(Role.INCIDENT_LEAD)) {
            return Mono.just(false);
        }
        exchange.getResponse().addCookie(sessions.cookie(sessions.area().signInCsrfCookie(), "", AppSessions.PATH,
                "Strict", Duration.ZERO));
        return sessions.start(exchange, caller, method).thenReturn(true);
    }

    private Rendering consoleOnly() {
        return Rendering.view("app/console-only").status(HttpStatus.FORBIDDEN).build();
    }

    private Rendering page(HttpStatus status, String notice, String error) {
        return Rendering.view("app/signin").status(status).modelAttribute("notice", notice)
                .modelAttribute("error", error).modelAttribute("provider", signIns.providerConfigured()).build();
    }

    private static URI callback(ServerWebExchange exchange) {
        return UriComponentsBuilder.fromUri(exchange.getRequest().getURI()).replacePath(PROVIDER_CALLBACK)
                .replaceQuery(null).fragment(null).build().toUri();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
