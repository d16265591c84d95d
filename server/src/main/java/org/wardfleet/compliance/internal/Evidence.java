package org.wardfleet.compliance.internal;

import org.wardfleet.attestation.AndroidAttestation;
import org.wardfleet.attestation.AppleAttestation;
import org.wardfleet.attestation.AttestationFailure;

/** The hardware evidence of one report, reduced to what evaluation needs and history shows. */
record Evidence(String kind, boolean valid, AttestationFailure failure, String strength, Boolean deviceLocked,
        String verifiedBootState, Integer osPatchLevel, String detail) {

    static final Evidence NONE = new Evidence("none", false, null, "SELF_REPORTED", null, null, null, null);

    static Evidence of(AndroidAttestation a) {
        return new Evidence("android-key", a.valid(), a.failure(), a.strength(), a.deviceLocked(),
                a.verifiedBootState(), a.osPatchLevel(), a.detail());
    }

    static Evidence of(AppleAttestation a) {
        return new Evidence("apple-app-attest", a.valid(), a.failure(), a.strength(), null, null, null, a.detail());
    }

    boolean present() {
        return !"none".equals(kind);
    }
}
