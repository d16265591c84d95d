package org.wardfleet.identity;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Checks a person's access token where the user filter chain does not run: a device being enrolled while its user is
 * signed in on it proves, with that token, that the person themselves is binding it.
 */
public interface UserTokens {

    /**
     * The user {@code bearerToken} proves — Wardfleet's own or the identity provider's token, with the same checks as
     * every API request (signature, issuer, audience, expiry, user enabled, not revoked) — or empty if it proves
     * nobody.
     */
    Mono<Caller> verify(String bearerToken);
}
