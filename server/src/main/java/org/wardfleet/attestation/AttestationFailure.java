package org.wardfleet.attestation;

/**
 * Why evidence is not valid. "Invalid evidence" is kept apart from "valid evidence of a non-compliant device": an
 * unlocked bootloader in a genuine attestation is not a failure here, it is a value compliance judges.
 */
public enum AttestationFailure {
    /** Not parseable: bad DER/CBOR/base64, missing extension, wrong structure. */
    MALFORMED,
    /** The chain does not end in a trusted root key (Google hardware roots, Apple App Attestation root). */
    UNTRUSTED_ROOT,
    /** A certificate is not signed by the next one, or names do not chain. */
    BAD_SIGNATURE,
    /** A certificate that must be valid at the verification time is not (remotely provisioned and Apple chains). */
    CERTIFICATE_EXPIRED,
    /** A certificate of the chain is on Google's attestation revocation list. */
    REVOKED,
    /** The revocation list could not be refreshed for too long: the answer is UNKNOWN, never valid. */
    REVOCATION_STATUS_UNKNOWN,
    /** The attested challenge/nonce is not the one this server issued. */
    CHALLENGE_MISMATCH,
    /** Attested in software only, where hardware is required. */
    SOFTWARE_ONLY,
    /** The attested app is not the configured Wardfleet app (package/signature, or team and bundle id). */
    APP_MISMATCH,
    /** Apple: the key id is not the SHA-256 of the attested public key. */
    KEY_ID_MISMATCH,
    /** This kind of evidence cannot be checked here (e.g. no Play Integrity keys configured): UNKNOWN, not valid. */
    NOT_CONFIGURED
}
