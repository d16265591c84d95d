package org.wardfleet.identity.internal;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.wardfleet.identity.SessionTokens;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Session-bound tokens: at most {@link #LIFETIME} (or the shorter configured token lifetime), so a token copied out of
 * a tab is worth little even before its session is checked; the front end asks for a new one every minute.
 */
@Component
class BrowserSessionTokens implements SessionTokens {

    static final Duration LIFETIME = Duration.ofMinutes(5);

    private final UserRepository users;
    private final TokenIssuer issuer;
    private final IdentityProperties properties;

    BrowserSessionTokens(UserRepository users, TokenIssuer issuer, IdentityProperties properties) {
        this.users = users;
        this.issuer = issuer;
        this.properties = properties;
    }

    @Override
    public Mono<SessionToken> issue(Caller caller, String sessionId) {
        Duration ttl = properties.tokenTtl().compareTo(LIFETIME) < 0 ? properties.tokenTtl() : LIFETIME;
        return users.find(caller.orgId(), caller.userId())
                .filter(user -> !user.disabled())
                .map(user -> issuer.issue(user, sessionId, ttl))
                .map(token -> new SessionToken(token.value(),
                        java.time.Instant.now().plusSeconds(token.expiresInSeconds())));
    }
}
