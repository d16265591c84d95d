package org.wardfleet.identity;

import reactor.core.publisher.Mono;

/**
 * Whether a browser session is still live: an access token minted for a session ({@link SessionTokens}) is good only
 * while its session is, so signing out (or the idle timeout) ends the token at once, not at its expiry. Implemented
 * by the web front ends' session store.
 */
public interface BrowserSessionCheck {

    Mono<Boolean> live(String sessionId);
}
