/**
 * The organisation's device CA (Bouncy Castle): device certificates from PKCS#10 CSRs, revocation, a signed CRL and
 * an OCSP responder (RFC 6960). Other features use {@link org.wardfleet.pki.DeviceCertificates}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "PKI",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security", "platform :: secrets",
            "audit"})
package org.wardfleet.pki;
