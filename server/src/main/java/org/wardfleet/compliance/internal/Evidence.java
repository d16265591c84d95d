package org.wardfleet.compliance.internal;

import org.wardfleet.attestation.AndroidAttestation;
import org.wardfleet.attestation.AppleAttestation;
import org.wardfleet.attestation.AttestationFailure;
import org.wardfleet.attestation.PlayIntegrityVerdict;

/** The hardware evidence of one report, reduced to what evaluation needs and history shows. */
record Evidence(String kind, boolean valid, AttestationFailure failure, String strength, Boolean deviceLocked,
        String verifiedBootState, Integer osPatchLevel, Boolean deviceIntegrity, String detail) {

    static final Evidence NONE = new Evidence("none", false, null, "SELF_REPORTED", null, null, null, null, null);

    static Evidence of(AndroidAttestation a) {
        return new Evidence("android-key", a.valid(), a.failure(), a.strength(), a.deviceLocked(),
                a.verifiedBootState(), a.osPatchLevel(), null, a.detail());
    }

    static Evidence of(AppleAttestation a) {
        return new Evidence("apple-app-attest", a.valid(), a.failure(), a.strength(), null, null, null, null,
                a.detail());
    }

    static Evidence assertion(org.wardfleet.attestation.EvidenceVerifier.AppleAssertion a) {
        return new Evidence("apple-assertion", a.valid(), a.failure(), a.valid() ? "HARDWARE_BACKED" : "SELF_REPORTED",
                null, null, null, null, a.detail());
    }

    static Evidence of(PlayIntegrityVerdict v) {
        return new Evidence("play-integrity", v.valid(), v.failure(), v.strength(), null, null, null,
                v.meetsDeviceIntegrity(), v.detail());
    }

    boolean present() {
        return !"none".equals(kind);
    }
}
