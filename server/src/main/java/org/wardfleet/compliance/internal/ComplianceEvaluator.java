package org.wardfleet.compliance.internal;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wardfleet.attestation.AttestationFailure;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.policy.OsVersions;

/**
 * One report against one effective policy (flat settings), deterministic and without I/O. Reasons carry a stable
 * {@code code} and the numbers behind it. Hardware-attested values beat self-reported ones (the patch level of a
 * valid Android attestation wins over the report's).
 */
final class ComplianceEvaluator {

    static final List<String> PASSCODE_ORDER = List.of("none", "numeric", "numeric-complex", "alphabetic",
            "alphanumeric", "complex");

    private ComplianceEvaluator() {
    }

    record Evaluation(ComplianceState state, List<Map<String, Object>> reasons) {
    }

    static Evaluation evaluate(Map<String, Object> settings, String platform, PostureReport report,
            Evidence evidence, AttestationNonces.Use nonce, LocalDate today) {
        List<Map<String, Object>> nonCompliant = new ArrayList<>();
        List<Map<String, Object>> unknown = new ArrayList<>();
        if (nonce == AttestationNonces.Use.REPLAYED) {
            nonCompliant.add(reason("NONCE_REPLAYED"));
        } else if (nonce == AttestationNonces.Use.UNKNOWN_OR_EXPIRED) {
            nonCompliant.add(reason("NONCE_INVALID"));
        }
        boolean hardwareRequired = Boolean.TRUE.equals(settings.get("integrity.requireHardwareAttestation"));
        if (evidence.present() && !evidence.valid()) {
            if (evidence.failure() == AttestationFailure.REVOCATION_STATUS_UNKNOWN
                    || evidence.failure() == AttestationFailure.NOT_CONFIGURED) {
                unknown.add(reason("ATTESTATION_UNVERIFIABLE", "failure", evidence.failure().name()));
            } else {
                nonCompliant.add(reason("ATTESTATION_INVALID", "failure", evidence.failure().name()));
            }
        } else if (!evidence.present() && hardwareRequired) {
            nonCompliant.add(reason("ATTESTATION_MISSING"));
        }
        if (evidence.valid() && (Boolean.FALSE.equals(evidence.deviceLocked())
                || evidence.verifiedBootState() != null && !"VERIFIED".equals(evidence.verifiedBootState()))) {
            nonCompliant.add(reason("BOOTLOADER_UNLOCKED", "verifiedBootState", evidence.verifiedBootState()));
        }
        if (evidence.valid() && Boolean.FALSE.equals(evidence.deviceIntegrity())) {
            nonCompliant.add(reason("DEVICE_INTEGRITY_FAILED"));
        }
        if (Boolean.TRUE.equals(settings.get("integrity.blockCompromised")) && Boolean.TRUE.equals(report.rooted())) {
            nonCompliant.add(reason("ROOTED"));
        }
        patchAge(settings, report, evidence, today, nonCompliant);
        Object minVersion = settings.get("os.minVersion." + platform);
        if (minVersion != null && (report.osVersion() == null
                || OsVersions.compare(report.osVersion(), String.valueOf(minVersion)) < 0)) {
            nonCompliant.add(reason("OS_TOO_OLD", "osVersion", report.osVersion(), "minVersion", minVersion));
        }
        if (Boolean.TRUE.equals(settings.get("storage.encryptionRequired")) && !Boolean.TRUE.equals(report.encrypted())) {
            nonCompliant.add(reason("ENCRYPTION_OFF"));
        }
        if (Boolean.TRUE.equals(settings.get("passcode.required")) && !Boolean.TRUE.equals(report.passcodeSet())) {
            nonCompliant.add(reason("PASSCODE_MISSING"));
        } else if (settings.get("passcode.complexity") != null && Boolean.TRUE.equals(report.passcodeSet())) {
            int required = PASSCODE_ORDER.indexOf(String.valueOf(settings.get("passcode.complexity")));
            int actual = PASSCODE_ORDER.indexOf(String.valueOf(report.passcodeQuality()));
            if (actual < required) {
                nonCompliant.add(reason("PASSCODE_TOO_WEAK", "quality", report.passcodeQuality(), "required",
                        settings.get("passcode.complexity")));
            }
        }
        if (Boolean.FALSE.equals(settings.get("integrity.developerOptionsAllowed"))
                && Boolean.TRUE.equals(report.developerOptions())) {
            nonCompliant.add(reason("DEVELOPER_OPTIONS_ON"));
        }
        if (Boolean.FALSE.equals(settings.get("integrity.unknownSourcesAllowed"))
                && Boolean.TRUE.equals(report.unknownSources())) {
            nonCompliant.add(reason("UNKNOWN_SOURCES_ON"));
        }
        if (settings.get("apps.required") instanceof List<?> required) {
            List<Object> missing = required.stream().filter(app -> !report.installedManagedApps().contains(app))
                    .map(Object.class::cast).toList();
            if (!missing.isEmpty()) {
                nonCompliant.add(reason("REQUIRED_APP_MISSING", "apps", missing));
            }
        }
        List<Map<String, Object>> reasons = new ArrayList<>(nonCompliant);
        reasons.addAll(unknown);
        ComplianceState state = !nonCompliant.isEmpty() ? ComplianceState.NON_COMPLIANT
                : !unknown.isEmpty() ? ComplianceState.UNKNOWN : ComplianceState.COMPLIANT;
        return new Evaluation(state, reasons);
    }

    private static void patchAge(Map<String, Object> settings, PostureReport report, Evidence evidence,
            LocalDate today, List<Map<String, Object>> into) {
        if (!(settings.get("os.maxSecurityPatchAgeDays") instanceof Number max)) {
            return;
        }
        LocalDate patch = report.securityPatchLevel();
        String source = "reported";
        if (evidence.valid() && evidence.osPatchLevel() != null) {
            int yyyymm = evidence.osPatchLevel();
            patch = LocalDate.of(yyyymm / 100, Math.max(1, Math.min(12, yyyymm % 100)), 1);
            source = "attested";
        }
        if (patch == null) {
            into.add(reason("OS_PATCH_UNKNOWN"));
            return;
        }
        long age = ChronoUnit.DAYS.between(patch, today);
        if (age > max.longValue()) {
            into.add(reason("OS_PATCH_TOO_OLD", "ageDays", age, "maxDays", max.longValue(), "source", source));
        }
    }

    static Map<String, Object> reason(String code, Object... details) {
        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("code", code);
        for (int i = 0; i + 1 < details.length; i += 2) {
            reason.put(String.valueOf(details[i]), details[i + 1]);
        }
        return reason;
    }

    /** The policy's {@code compliance.noGrace} names, as reason codes: these lose access at once. */
    static boolean noGrace(Map<String, Object> reason, List<?> noGrace) {
        String code = String.valueOf(reason.get("code"));
        for (Object name : noGrace) {
            switch (String.valueOf(name)) {
                case "compromised":
                    if (code.equals("ROOTED") || code.equals("DEVICE_INTEGRITY_FAILED")) {
                        return true;
                    }
                    break;
                case "bootloader-unlocked":
                    if (code.equals("BOOTLOADER_UNLOCKED")) {
                        return true;
                    }
                    break;
                case "attestation-invalid":
                    if (code.equals("ATTESTATION_INVALID") || code.equals("NONCE_REPLAYED")
                            || code.equals("NONCE_INVALID")) {
                        return true;
                    }
                    break;
                case "encryption-off":
                    if (code.equals("ENCRYPTION_OFF")) {
                        return true;
                    }
                    break;
                case "passcode-missing":
                    if (code.equals("PASSCODE_MISSING")) {
                        return true;
                    }
                    break;
                case "os-too-old":
                    if (code.equals("OS_TOO_OLD")) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
        }
        return false;
    }
}
