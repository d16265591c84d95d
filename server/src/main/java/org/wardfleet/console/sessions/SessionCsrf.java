package org.wardfleet.console.sessions;

import java.time.Duration;

import org.springframework.http.HttpCookie;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * CSRF tokens for a front end's sessions, checked by Spring Security's {@code CsrfWebFilter} on every POST: a signed-in browser's
 * token is its session's (made at sign-in, never sent in a cookie); before sign-in, the sign-in form's token is held in
 * an {@code HttpOnly; SameSite=Strict} cookie (double submit), so a forged sign-in from another site fails too. Forms
 * send it as {@code _csrf}, htmx and fetch requests as the {@code X-CSRF-TOKEN} header (console.js and app.js read it
 * from a meta tag).
 */
public class SessionCsrf implements ServerCsrfTokenRepository {

    public static final String HEADER = "X-CSRF-TOKEN";
    public static final String PARAMETER = "_csrf";

    private final BrowserSessions sessions;

    public SessionCsrf(BrowserSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
        return Mono.fromCallable(() -> token(BrowserSessions.random(32)));
    }

    /** Only the sign-in form's token is saved here; a session's is saved with the session. */
    @Override
    public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
        return sessions.current(exchange).hasElement().doOnNext(signedIn -> {
            if (!signedIn) {
                exchange.getResponse().addCookie(sessions.cookie(sessions.area().signInCsrfCookie(),
                        token == null ? "" : token.getToken(), sessions.area().path(), "Strict",
                        token == null ? Duration.ZERO : null));
            }
        }).then();
    }

    @Override
    public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
        return sessions.current(exchange).map(session -> token(session.csrfToken()))
                .switchIfEmpty(Mono.defer(() -> {
                    HttpCookie cookie = exchange.getRequest().getCookies().getFirst(sessions.area().signInCsrfCookie());
                    return cookie == null || cookie.getValue().isEmpty() ? Mono.empty()
                            : Mono.just(token(cookie.getValue()));
                }));
    }

    private static CsrfToken token(String value) {
        return new DefaultCsrfToken(HEADER, PARAMETER, value);
    }
}
