package org.wardfleet.platform.security;

import java.util.List;

/**
 * Which paths take which credential — one list for the filter chains and for the OpenAPI document, so the document
 * never asks for a credential a path does not take (nor leaves one out).
 */
public final class AccessPaths {

    /** The device chain: a device's key (mutual TLS or a device-signed JWT), never a user token. */
    public static final List<String> DEVICE_CHAIN = List.of("/device/**", "/.well-known/est/**");

    /**
     * Paths a device reaches before it has a certificate: enrollment (the invitation secret is the credential, in
     * the body or as HTTP Basic) and the CA certificates.
     */
    public static final List<String> DEVICE_PUBLIC = List.of("/device/v1/enroll", "/.well-known/est/cacerts",
            "/.well-known/est/*/cacerts", "/.well-known/est/simpleenroll", "/.well-known/est/*/simpleenroll");

    /** Reachable without a token on the user chain. Everything else needs one. */
    public static final List<String> USER_PUBLIC = List.of(
            "/api/v1/auth/token", "/.well-known/jwks.json", "/actuator/health", "/actuator/health/**",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**", "/",
            // signed or public by nature: relying parties fetch them without credentials
            "/pki/v1/orgs/*/crl", "/pki/v1/orgs/*/ocsp", "/pki/v1/orgs/*/ca.pem",
            // WCTP senders authenticate inside the XML (senderID + securityCode), as the protocol defines
            "/wctp");

    private AccessPaths() {
    }
}
