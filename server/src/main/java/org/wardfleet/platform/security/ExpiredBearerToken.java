package org.wardfleet.platform.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A bearer token that was genuine (signature, issuer) but is past its expiry: answered {@code token-expired}, so a
 * client knows to sign in again rather than that something is wrong. Raised by the identity feature's token checks.
 */
public class ExpiredBearerToken extends AuthenticationException {

    public ExpiredBearerToken(String message, Throwable cause) {
        super(message, cause);
    }
}
