package org.wardfleet.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.wardfleet.attestation.AttestationFailure;
import org.wardfleet.compliance.ComplianceState;

/** The evaluation rules that need evidence a test server cannot produce live: genuine hardware verdicts. */
class ComplianceEvaluatorTests {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
    static final Map<String, Object> POLICY = Map.of("os.maxSecurityPatchAgeDays", 90,
            "integrity.requireHardwareAttestation", true, "integrity.blockCompromised", true);
    static final PostureReport REPORT = new PostureReport("n", "16", TODAY.minusDays(5), true, true, "complex",
            false, false, false, List.of(), "v");

    @Test
    void anUnlockedBootloaderInGenuineEvidenceIsNonCompliantNotInvalid() {
        Evidence unlocked = new Evidence("android-key", true, null, "HARDWARE_BACKED", false, "UNVERIFIED", 202611,
                null, null);
        var e = ComplianceEvaluator.evaluate(POLICY, "android", REPORT, unlocked, AttestationNonces.Use.FRESH, TODAY);
        assertThat(e.state()).isEqualTo(ComplianceState.NON_COMPLIANT);
        assertThat(e.reasons()).extracting(r -> r.get("code")).containsExactly("BOOTLOADER_UNLOCKED");
    }

    @Test
    void theAttestedPatchLevelBeatsTheReportedOne() {
        Evidence old = new Evidence("android-key", true, null, "HARDWARE_BACKED", true, "VERIFIED", 202307, null,
                null);
        var e = ComplianceEvaluator.evaluate(POLICY, "android", REPORT, old, AttestationNonces.Use.FRESH, TODAY);
        assertThat(e.reasons()).singleElement().satisfies(r -> {
            assertThat(r.get("code")).isEqualTo("OS_PATCH_TOO_OLD");
            assertThat(r.get("source")).isEqualTo("attested");
            assertThat((Long) r.get("ageDays")).isGreaterThan(900);
        });
    }

    @Test
    void aStaleRevocationListOrUnconfiguredVerifierGivesUnknownNeverCompliant() {
        for (AttestationFailure f : List.of(AttestationFailure.REVOCATION_STATUS_UNKNOWN,
                AttestationFailure.NOT_CONFIGURED)) {
            Evidence unjudgeable = new Evidence("android-key", false, f, "SELF_REPORTED", null, null, null, null, null);
            var e = ComplianceEvaluator.evaluate(POLICY, "android", REPORT, unjudgeable, AttestationNonces.Use.FRESH,
                    TODAY);
            assertThat(e.state()).isEqualTo(ComplianceState.UNKNOWN);
        }
    }

    @Test
    void aPlayIntegrityVerdictWithoutDeviceIntegrityFailsTheDeviceAtOnce() {
        Evidence basicOnly = new Evidence("play-integrity", true, null, "SOFTWARE_ATTESTED", null, null, null, false,
                null);
        var e = ComplianceEvaluator.evaluate(POLICY, "android", REPORT, basicOnly, AttestationNonces.Use.FRESH, TODAY);
        assertThat(e.reasons()).extracting(r -> r.get("code")).containsExactly("DEVICE_INTEGRITY_FAILED");
        assertThat(ComplianceEvaluator.noGrace(e.reasons().get(0), List.of("compromised"))).isTrue();
    }
}
