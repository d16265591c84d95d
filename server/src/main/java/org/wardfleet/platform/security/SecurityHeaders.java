package org.wardfleet.platform.security;

import java.time.Duration;

import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;

/**
 * The one Content-Security-Policy every filter chain sends — the API's, the devices' and the console's: no inline
 * script anywhere — and the headers that go with it on a chain that serves pages: no framing, no referrer, HSTS.
 */
public final class SecurityHeaders {

    /** The Swagger UI page uses inline styles; nothing else needs more than 'self'. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private SecurityHeaders() {
    }

    public static void apply(ServerHttpSecurity.HeaderSpec headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.mode(Mode.DENY))
                .referrerPolicy(ref -> ref.policy(ReferrerPolicy.NO_REFERRER))
                .hsts(hsts -> hsts.maxAge(Duration.ofDays(365)).includeSubdomains(true));
    }
}
