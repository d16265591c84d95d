package org.wardfleet.console.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
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
 * Signing in (email and password, or the organisation's identity provider) and out. Only ADMIN and SECURITY get a
 * session; anyone else who signs in correctly is told to use the clinician app, and holds no console session.
 */
@Controller
class SignInPage {

    static final String PROVIDER_CALLBACK = "/console/signin/provider/callback";
    static final String STATE_COOKIE = "wardfleet_console_signin";
    static final String HOME = "/console/devices";

    private final SignIns signIns;
    private final ConsoleSessions sessions;

    SignInPage(SignIns signIns, ConsoleSessions sessions) {
        this.signIns = signIns;
        this.sessions = sessions;
    }

    record Credentials(String email, String password, String next) {

        @Override
        public String toString() {
            return "Credentials[email=***, password=***]";
        }
    }

    @GetMapping({"/console", "/console/"})
    Mono<Void> home(ServerWebExchange exchange) {
        return Htmx.redirect(exchange, HOME);
    }

    @GetMapping(ConsoleSecurity.SIGN_IN)
    Mono<Rendering> form(@RequestParam(required = false) String next, ServerWebExchange exchange) {
        return Mono.just(signInPage(HttpStatus.OK, safeNext(next), notice(exchange), null));
    }

    @PostMapping(ConsoleSecurity.SIGN_IN)
    Mono<Rendering> signIn(Credentials form, ServerWebExchange exchange) {
        if (blank(form.email()) || blank(form.password()) || form.email().length() > 254
                || form.password().length() > 1024) {
            return Mono.just(signInPage(HttpStatus.BAD_REQUEST, safeNext(form.next()), null,
                    "Enter your email address and your password."));
        }
        return signIns.password(form.email(), form.password())
                .flatMap(caller -> begin(exchange, caller, SignIns.Method.PASSWORD))
                .map(started -> started ? Rendering.redirectTo(safeNext(form.next())).build() : noConsole())
                .onErrorResume(ProblemException.class, refused -> Mono.just(signInPage(
                        HttpStatus.valueOf(refused.getStatusCode().value()), safeNext(form.next()), null,
                        refused.getHeaders().getFirst("Retry-After") != null
                                ? "Too many failed sign-ins. Wait " + refused.getHeaders().getFirst("Retry-After")
                                        + " seconds, then try again."
                                : "That email and password do not match an account that may sign in.")));
    }

    /** Off to the identity provider, with the state bound to this browser by a short-lived cookie. */
    @GetMapping(ConsoleSecurity.SIGN_IN + "/provider")
    Mono<Void> provider(ServerWebExchange exchange) {
        return signIns.startProvider(callback(exchange)).flatMap(start -> {
            // Lax, not Strict: the provider sends the browser back from another site, and only Lax comes along
            exchange.getResponse().addCookie(sessions.cookie(STATE_COOKIE, start.state(), PROVIDER_CALLBACK, "Lax",
                    Duration.ofMinutes(10)));
            return Htmx.redirect(exchange, start.authorizationUrl().toString());
        });
    }

    @GetMapping(PROVIDER_CALLBACK)
    Mono<Rendering> providerCallback(@RequestParam(required = false) String code,
            @RequestParam(required = false) String state, @RequestParam(required = false) String error,
            ServerWebExchange exchange) {
        HttpCookie bound = exchange.getRequest().getCookies().getFirst(STATE_COOKIE);
        exchange.getResponse().addCookie(sessions.cookie(STATE_COOKIE, "", PROVIDER_CALLBACK, "Lax", Duration.ZERO));
        if (error != null || code == null || state == null || bound == null || !bound.getValue().equals(state)) {
            // no state of this browser's: a sign-in someone else started (login CSRF), or one that was abandoned
            return Mono.just(signInPage(HttpStatus.UNAUTHORIZED, null, null,
                    "Signing in with your organisation did not complete. Try again."));
        }
        return signIns.finishProvider(state, code, callback(exchange))
                .flatMap(caller -> begin(exchange, caller, SignIns.Method.PROVIDER))
                // SameSite=Strict: the session cookie does not ride along on a redirect that started at the provider's
                // site, so the browser moves on from a page of ours instead
                .map(started -> started ? Rendering.view("console/continue").modelAttribute("next", HOME).build()
                        : noConsole())
                .onErrorResume(ProblemException.class, refused -> Mono.just(signInPage(
                        HttpStatus.valueOf(refused.getStatusCode().value()), null, null,
                        refused.getBody().getDetail())));
    }

    @PostMapping("/console/signout")
    Mono<Void> signOut(ServerWebExchange exchange) {
        return sessions.end(exchange).then(Htmx.redirect(exchange, ConsoleSecurity.SIGN_IN + "?signedOut"));
    }

    @GetMapping(ConsoleSecurity.NO_CONSOLE)
    Rendering noConsole() {
        return Rendering.view("console/no-console").status(HttpStatus.FORBIDDEN).build();
    }

    /** A session for IT (true); anyone else gets none and is sent to the clinician app (false). */
    private Mono<Boolean> begin(ServerWebExchange exchange, Caller caller, SignIns.Method method) {
        if (!caller.has(Role.ADMIN) && !caller.has(Role.SECURITY)) {
            return Mono.just(false);
        }
        exchange.getResponse().addCookie(sessions.cookie(SessionCsrfTokens.SIGN_IN_COOKIE, "", "/console", "Strict",
                Duration.ZERO));
        return sessions.start(exchange, caller, method).thenReturn(true);
    }

    private Rendering signInPage(HttpStatus status, String next, String notice, String error) {
        return Rendering.view("console/signin").status(status)
                .modelAttribute("next", next == null ? "" : next)
                .modelAttribute("notice", notice == null ? "" : notice)
                .modelAttribute("error", error == null ? "" : error)
                .modelAttribute("provider", signIns.providerConfigured())
                .build();
    }

    private static String notice(ServerWebExchange exchange) {
        var query = exchange.getRequest().getQueryParams();
        if (query.containsKey("signedOut")) {
            return "You are signed out.";
        }
        if (query.containsKey("expired")) {
            return "Your session ended. Sign in again to go on.";
        }
        return null;
    }

    /** Where the entry point sends a person who is not signed in: back to the page they asked for, afterwards. */
    static String next(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        boolean hadSession = request.getCookies().getFirst(ConsoleSessions.COOKIE) != null;
        String path = request.getURI().getRawPath();
        String query = request.getURI().getRawQuery();
        String next = request.getMethod() == HttpMethod.GET && !Htmx.request(exchange)
                ? safeNext(path + (query == null ? "" : "?" + query)) : null;
        String params = (next == null || next.equals(HOME) ? "" : "next=" + URLEncoder.encode(next,
                StandardCharsets.UTF_8)) + (hadSession ? (next == null || next.equals(HOME) ? "" : "&") + "expired" : "");
        return params.isEmpty() ? "" : "?" + params;
    }

    /** Only a console path of this server: never another site (an open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console/") || next.contains("//") || next.contains("\\")
                || next.startsWith(ConsoleSecurity.SIGN_IN) || next.length() > 500) {
            return HOME;
        }
        return next;
    }

    private static URI callback(ServerWebExchange exchange) {
        return UriComponentsBuilder.fromUri(exchange.getRequest().getURI()).replacePath(PROVIDER_CALLBACK)
                .replaceQuery(null).fragment(null).build().toUri();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
