package org.wardfleet.pki;

import java.security.cert.X509Certificate;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Device certificates of one organisation's CA. Serials are lower-case hexadecimal strings everywhere.
 */
public interface DeviceCertificates {

    /**
     * Issues a certificate for {@code deviceId} from a PKCS#10 CSR (PEM or base64 DER) after checking proof of
     * possession and the key type. The subject comes from server data, never from the CSR. The CA is created on
     * first use. Errors: {@link PkiProblems}.
     */
    Mono<IssuedCertificate> issue(String orgId, String deviceId, String ownership, String csr);

    /**
     * As {@link #issue}, but the certificate is not yet recorded: until {@link #record} has stored it, its status is
     * {@link Status#UNKNOWN} and no device call authenticates with it. Lets a caller store the certificate and the
     * record that uses it in one round trip's time (enrollment: the certificate and the device at once).
     */
    Mono<IssuedCertificate> sign(String orgId, String deviceId, String ownership, String csr);

    /** Records a certificate from {@link #sign}: from now on its status is {@link Status#GOOD}. */
    Mono<Void> record(String orgId, String deviceId, IssuedCertificate issued);

    /** Revokes at once: device calls, OCSP and the next CRL all see it. Revoking twice keeps the first time. */
    Mono<Void> revoke(String orgId, String serial, RevocationReason reason);

    /** One lookup by serial: cheap enough for every device request. */
    Mono<Status> status(String orgId, String serial);

    /** The certificate that signs this organisation's device certificates. */
    Mono<X509Certificate> issuingCa(String orgId);

    /** The issuing CA first, then any parents (an imported intermediate). */
    Mono<List<X509Certificate>> caChain(String orgId);

    enum Status { GOOD, REVOKED, UNKNOWN }

    /** RFC 5280 5.3.1 reason codes used by Wardfleet. */
    enum RevocationReason {
        UNSPECIFIED(0), KEY_COMPROMISE(1), SUPERSEDED(4), CESSATION_OF_OPERATION(5);

        private final int code;

        RevocationReason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
