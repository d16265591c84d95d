package org.wardfleet.console.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.tls.TlsProperties;
import org.wardfleet.platform.web.PublicUrl;

import reactor.core.publisher.Mono;

/**
 * Server-side sessions of one {@link SessionArea} (a front end) behind an {@code HttpOnly; Secure; SameSite=Strict}
 * cookie scoped to its path: a new
 * random value at every sign-in (no fixation), ended by the idle or the absolute timeout or by signing out (deleted
 * at once, so the cookie is worthless everywhere), and re-checked on every request against the person as they are now
 * (disabled, password reset, roles). {@code Secure} is left out only when nothing between the browser and this server
 * speaks HTTPS (TLS off and an {@code http:} public URL: tests on loopback).
 */
public class BrowserSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionArea area;
    private final String resolved;
    private final SessionStore store;
    private final SignIns signIns;
    private final AuditLog audit;
    private final Clock clock;
    private final boolean secureCookies;

    public BrowserSessions(SessionArea area, SessionStore store, SignIns signIns, AuditLog audit, Clock clock,
            TlsProperties tls, PublicUrl publicUrl) {
        this.area = area;
        this.resolved = BrowserSessions.class.getName() + ".resolved." + area.name();
        this.store = store;
        this.signIns = signIns;
        this.audit = audit;
        this.clock = clock;
        this.secureCookies = tls.enabled() || "https".equals(publicUrl.publicUrl().getScheme());
    }

    /** Signs {@code caller} in on this browser: a new session and cookie, replacing any session it had. */
    public Mono<BrowserSession> start(ServerWebExchange exchange, Caller caller, SignIns.Method method) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String token = random(32);
        BrowserSession session = new BrowserSession(hash(token), area.name(), caller, method, random(32), now,
                now.plus(area.idleTimeout()), now.plus(area.absoluteTimeout()));
        return endPrevious(exchange)
                .then(store.insert(session))
                .then(Mono.fromRunnable(() -> {
                    exchange.getResponse().addCookie(cookie(area.cookie(), token, area.path(), "Strict", null));
                    exchange.getAttributes().put(resolved, Mono.just(session));
                }))
                .thenReturn(session);
    }

    /**
     * The live session of this request, once per request: empty without a cookie, and for a session that has ended
     * (which is then deleted and its cookie cleared) or whose person may no longer sign in.
     */
    public Mono<BrowserSession> current(ServerWebExchange exchange) {
        Mono<BrowserSession> found = exchange.getAttribute(resolved);
        if (found == null) {
            found = resolve(exchange).cache();
            exchange.getAttributes().put(resolved, found);
        }
        return found;
    }

    /** Ends this browser's session at once (sign-out); audited as {@code auth.logout}. */
    public Mono<Void> end(ServerWebExchange exchange) {
        return current(exchange)
                .flatMap(session -> store.delete(session.id())
                        .then(audit.record(AuditEvent.of(session.caller().orgId(),
                                Actor.user(session.caller().userId()), "auth.logout", session.caller().userId(),
                                Outcome.SUCCESS))))
                .then(Mono.fromRunnable(() -> {
                    clearCookie(exchange);
                    exchange.getAttributes().put(resolved, Mono.empty());
                }));
    }

    /** For a long-lived response (a live update stream): has the session ended meanwhile? Does not extend it. */
    public Mono<Boolean> stillLive(String sessionId) {
        return store.find(sessionId).map(s -> s.liveAt(clock.instant())).defaultIfEmpty(false);
    }

    public SessionArea area() {
        return area;
    }

    /** A cookie for this front end's paths, {@code Secure} as above; {@code maxAge} null: ends with the browser. */
    public ResponseCookie cookie(String name, String value, String path, String sameSite, Duration maxAge) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name, value).httpOnly(true)
                .secure(secureCookies).sameSite(sameSite).path(path);
        return (maxAge == null ? cookie : cookie.maxAge(maxAge)).build();
    }

    private Mono<BrowserSession> resolve(ServerWebExchange exchange) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(area.cookie());
        if (cookie == null || cookie.getValue().isEmpty() || cookie.getValue().length() > 64) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        return store.find(hash(cookie.getValue()))
                // another front end's session under this cookie's name: not a session here (and left alone)
                .filter(session -> area.name().equals(session.area()))
                .flatMap(session -> session.liveAt(now) ? stillAllowed(session, exchange)
                        .switchIfEmpty(Mono.defer(() -> ended(exchange, session)))
                        : ended(exchange, session));
    }

    private Mono<BrowserSession> stillAllowed(BrowserSession session, ServerWebExchange exchange) {
        return signIns.current(session.caller(), session.signedInAt(), session.method())
                .flatMap(person -> (personActed(exchange) ? touch(session) : Mono.<Void>empty())
                        .thenReturn(session.as(person)));
    }

    /**
     * Whether this request is the person acting (it moves the idle deadline): every request unless a front end says
     * otherwise, e.g. for what its page does by itself in the background.
     */
    protected boolean personActed(ServerWebExchange exchange) {
        return true;
    }

    /** Moves the idle deadline, at most once per twentieth of the timeout (45 s for 15 min): not a write per click. */
    private Mono<Void> touch(BrowserSession session) {
        Instant idleUntil = clock.instant().plus(area.idleTimeout());
        Duration step = area.idleTimeout().dividedBy(20);
        return idleUntil.isAfter(session.idleUntil().plus(step)) ? store.extend(session, idleUntil) : Mono.empty();
    }

    private Mono<BrowserSession> ended(ServerWebExchange exchange, BrowserSession session) {
        return store.delete(session.id()).then(Mono.fromRunnable(() -> clearCookie(exchange)));
    }

    private Mono<Void> endPrevious(ServerWebExchange exchange) {
        HttpCookie previous = exchange.getRequest().getCookies().getFirst(area.cookie());
        return previous == null || previous.getValue().length() > 64 ? Mono.empty()
                : store.delete(hash(previous.getValue())).then();
    }

    private void clearCookie(ServerWebExchange exchange) {
        exchange.getResponse().addCookie(cookie(area.cookie(), "", area.path(), "Strict", Duration.ZERO));
    }

    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
