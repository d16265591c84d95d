package org.wardfleet.identity;

import java.time.Instant;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Access tokens for a browser front end that calls the JSON API itself (the clinician app): the same ES256 tokens as
 * {@code POST /api/v1/auth/token}, bound to the browser session they were minted for (claim {@code sid}, checked on
 * every request through {@link BrowserSessionCheck}) and short-lived. The front end holds them in memory only.
 */
public interface SessionTokens {

    /** A token for {@code caller}, good until its session ends and at most until {@code expiresAt} of the result. */
    Mono<SessionToken> issue(Caller caller, String sessionId);

    record SessionToken(String value, Instant expiresAt) {

        @Override
        public String toString() {
            return "SessionToken[expiresAt=" + expiresAt + "]";
        }
    }
}
