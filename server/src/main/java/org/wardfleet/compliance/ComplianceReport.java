package org.wardfleet.compliance;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One evaluated posture report. {@code evidence}: {@code kind} (none, android-key, apple-app-attest, play-integrity,
 * apple-assertion), {@code valid}, {@code strength} (e.g. HARDWARE_BACKED, SELF_REPORTED) and {@code failure}.
 */
public record ComplianceReport(String id, Instant at, ComplianceState state, List<Map<String, Object>> reasons,
        Map<String, Object> evidence, String policyVersion, String osVersion, String securityPatchLevel) {
}
