package org.wardfleet.attestation;

import java.util.List;

/**
 * A decrypted and verified Google Play Integrity verdict (or why it was refused).
 *
 * @param deviceRecognitionVerdicts e.g. {@code MEETS_DEVICE_INTEGRITY}, {@code MEETS_STRONG_INTEGRITY}
 */
public record PlayIntegrityVerdict(boolean valid, AttestationFailure failure, String detail, boolean challengeMatches,
        String packageName, String appRecognitionVerdict, List<String> deviceRecognitionVerdicts, String strength) {

    public boolean meetsDeviceIntegrity() {
        return deviceRecognitionVerdicts.contains("MEETS_DEVICE_INTEGRITY")
                || deviceRecognitionVerdicts.contains("MEETS_STRONG_INTEGRITY");
    }
}
