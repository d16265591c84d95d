package org.wardfleet.identity;

import java.net.URI;
import java.time.Instant;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Signing a person in for a browser session (the console), with the API's own checks: the password check with its
 * throttle and audit, or the organisation's identity provider (authorization code with PKCE), and on every later
 * request whether the person is still allowed in.
 */
public interface SignIns {

    /** Problems as {@code POST /api/v1/auth/token}: {@code invalid-credentials}, {@code rate-limited}. */
    Mono<Caller> password(String email, String password);

    /** True when {@code wardfleet.oidc.issuer-uri} and {@code client-id} are set. */
    boolean providerConfigured();

    /**
     * Starts a provider sign-in: where to send the browser, and the state the browser must bring back (bind it to the
     * browser, e.g. in a cookie). The state carries, sealed, the PKCE verifier and the nonce; it is good for 10 minutes.
     */
    Mono<ProviderStart> startProvider(URI redirectUri);

    /**
     * Redeems the provider's code for an ID token, checks it (signature, issuer, audience, expiry, nonce) and maps it
     * like the provider's bearer tokens (organisation, email, roles; auto-provisioning); audited as {@code auth.login}.
     * Problem {@code sign-in-refused} when anything does not hold.
     */
    Mono<Caller> finishProvider(String state, String code, URI redirectUri);

    /**
     * The person of a session begun at {@code signedInAt}, as of now: empty when they were disabled or their
     * password was reset since. Roles are read again for password sign-ins; a provider's roles hold for the session.
     */
    Mono<Caller> current(Caller signedIn, Instant signedInAt, Method method);

    enum Method { PASSWORD, PROVIDER }

    record ProviderStart(URI authorizationUrl, String state) {
    }
}
