package org.wardfleet.attestation;

/**
 * A verified (or refused) Apple App Attest attestation object and what it says.
 *
 * @param environment {@code PRODUCTION} or {@code DEVELOPMENT} (from the aaguid)
 * @param publicKey the attested key (X.509 SubjectPublicKeyInfo, base64), for verifying later assertions
 */
public record AppleAttestation(boolean valid, AttestationFailure failure, String detail, boolean challengeMatches,
        String environment, Long counter, String aaguid, String keyId, String publicKey, String strength) {
}
