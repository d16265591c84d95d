package org.wardfleet.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;


/** Posture reports end to end: signed by the device, bound to a single-use nonce, judged against the policy. */
@WardfleetTest
class ComplianceTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aHealthyDeviceIsCompliantAndEachProblemIsNamedWithItsNumbers() {
        Org org = orgWithoutHardwareRequirement();
        TestDevice phone = org.device();
        report(phone, healthy(phone)).jsonPath("$.state").isEqualTo("COMPLIANT")
                .jsonPath("$.reasons.length()").isEqualTo(0)
                .jsonPath("$.evidence.strength").isEqualTo("SELF_REPORTED");
        access(org.admin, phone).jsonPath("$.allowed").isEqualTo(true);

        Map<String, Object> bad = healthy(phone);
        bad.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(200).toString());
        bad.put("encrypted", false);
        bad.put("passcodeQuality", "numeric");
        bad.put("installedManagedApps", List.of());
        bad.put("osVersion", "11");
        report(phone, bad).jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reasons[?(@.code == 'OS_PATCH_TOO_OLD')].ageDays").isEqualTo(200)
                .jsonPath("$.reasons[?(@.code == 'OS_PATCH_TOO_OLD')].maxDays").isEqualTo(90)
                .jsonPath("$.reasons[?(@.code == 'ENCRYPTION_OFF')]").exists()
                .jsonPath("$.reasons[?(@.code == 'PASSCODE_TOO_WEAK')].required").isEqualTo("alphanumeric")
                .jsonPath("$.reasons[?(@.code == 'REQUIRED_APP_MISSING')].apps[0]").isEqualTo("org.wardfleet.messaging")
                .jsonPath("$.reasons[?(@.code == 'OS_TOO_OLD')].minVersion").isEqualTo("13");
        // encryption off loses access at once only if the policy says so; here the grace period applies
        access(org.admin, phone).jsonPath("$.allowed").isEqualTo(true)
                .jsonPath("$.reasons[?(@.code == 'IN_GRACE_PERIOD')]").exists();

        Map<String, Object> rooted = healthy(phone);
        rooted.put("rooted", true);
        report(phone, rooted).jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reasons[0].code").isEqualTo("ROOTED");
        // compromised devices lose access at once, whatever the grace period
        access(org.admin, phone).jsonPath("$.allowed").isEqualTo(false);

        http.get().uri("/api/v1/devices/" + phone.deviceId() + "/compliance")
                .headers(h -> h.setBearerAuth(org.admin)).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reports.length()").isEqualTo(3)
                .jsonPath("$.reports[0].reasons[0].code").isEqualTo("ROOTED")
                .jsonPath("$.reports[2].state").isEqualTo("COMPLIANT");
        http.get().uri("/api/v1/devices/" + phone.deviceId()).headers(h -> h.setBearerAuth(org.admin)).exchange()
                .expectBody(String.class).value(body -> assertThat(body).contains("compliance.non_compliant"));
    }

    @Test
    void nonceReplaySignatureAndEvidenceProblemsAreToldApart() throws Exception {
        Org org = orgWithoutHardwareRequirement();
        TestDevice phone = org.device();
        Map<String, Object> claims = healthy(phone);
        report(phone, claims).jsonPath("$.state").isEqualTo("COMPLIANT");
        // the very same report again: its nonce is spent
        report(phone, claims).jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reasons[0].code").isEqualTo("NONCE_REPLAYED");
        Map<String, Object> invented = healthy(phone);
        invented.put("nonce", "never-issued");
        report(phone, invented).jsonPath("$.reasons[0].code").isEqualTo("NONCE_INVALID");

        // signed by some other key: refused outright
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String forged = sign(healthy(phone), generator.generateKeyPair());
        api.deviceCall(phone, "POST", "/device/v1/attestation", Map.of("report", forged)).expectStatus()
                .isUnauthorized().expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:report-signature-invalid");
        api.deviceCall(phone, "POST", "/device/v1/attestation", Map.of("report", "not-a-jws")).expectStatus()
                .isBadRequest().expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:report-invalid");

        // genuine hardware evidence, but attesting someone else's challenge
        List<String> chain = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                "vectors/android-key-attestation/tee-locked-sony-xperia10iii-sdk33.pem")) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add(Base64.getEncoder().encodeToString(((X509Certificate) c).getEncoded()));
            }
        }
        api.deviceCall(phone, "POST", "/device/v1/attestation", Map.of("report", sign(healthy(phone), phone.keys()),
                        "evidence", Map.of("androidKeyChain", chain))).expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reasons[0].code").isEqualTo("ATTESTATION_INVALID")
                .jsonPath("$.evidence.kind").isEqualTo("android-key")
                .jsonPath("$.evidence.valid").isEqualTo(false);
    }

    @Test
    void theBaselinesRequireHardwareEvidenceAndTheSummaryCountsWhatDevicesReported() {
        TestApi.User admin = api.newOrganisation();
        TestDevice cope = api.enrolledDevice(admin.token(), "COPE", null);
        report(cope, healthy(cope)).jsonPath("$.state").isEqualTo("NON_COMPLIANT")
                .jsonPath("$.reasons[0].code").isEqualTo("ATTESTATION_MISSING");
        TestDevice fresh = api.enrolledDevice(admin.token(), "COPE", null);
        http.get().uri("/api/v1/compliance/summary").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.devices").isEqualTo(2)
                .jsonPath("$.byState.NON_COMPLIANT").isEqualTo(1)
                .jsonPath("$.byState.UNKNOWN").isEqualTo(1)
                .jsonPath("$.byReason.ATTESTATION_MISSING").isEqualTo(1)
                .jsonPath("$.byReason.ATTESTATION_PENDING").isEqualTo(1)
                .jsonPath("$.byOwnership.COPE.UNKNOWN").isEqualTo(1)
                .jsonPath("$.byPlatform.android.NON_COMPLIANT").isEqualTo(1);
        assertThat(fresh.deviceId()).isNotBlank();
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
        http.get().uri("/api/v1/compliance/summary").headers(h -> h.setBearerAuth(clinician.token())).exchange()
                .expectStatus().isForbidden();
    }

    private record Org(String admin, TestApi api) {
        TestDevice device() {
            return api.enrolledDevice(admin, "COPE", null);
        }
    }

    /** COPE devices get a policy like the baseline but without the hardware requirement (no real phone here). */
    private Org orgWithoutHardwareRequirement() {
        TestApi.User admin = api.newOrganisation();
        Map<?, ?> policies = http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody();
        String cope = ((List<Map<String, Object>>) policies.get("items")).stream()
                .filter(p -> "cope-clinical".equals(p.get("name"))).map(p -> (String) p.get("id")).findFirst()
                .orElseThrow();
        Map<?, ?> detail = http.get().uri("/api/v1/policies/" + cope).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody();
        String assignment = (String) ((List<Map<String, Object>>) detail.get("assignments")).get(0).get("id");
        http.delete().uri("/api/v1/policies/" + cope + "/assignments/" + assignment)
                .headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isNoContent();
        String id = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue("""
                        apiVersion: wardfleet.org/policy/v1
                        kind: Policy
                        name: test-cope
                        settings:
                          passcode: {required: true, complexity: alphanumeric}
                          storage: {encryptionRequired: true}
                          os: {minVersion: {android: "13"}, maxSecurityPatchAgeDays: 90}
                          integrity: {blockCompromised: true, developerOptionsAllowed: false}
                          apps: {required: [org.wardfleet.messaging]}
                          checkIn: {attestationMaxAgeHours: 24}
                          compliance: {graceHours: 24, noGrace: [compromised, bootloader-unlocked, attestation-invalid]}
                        """).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id");
        http.post().uri("/api/v1/policies/" + id + "/publish").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        http.post().uri("/api/v1/policies/" + id + "/assignments").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("ownership", "COPE")).exchange().expectStatus().isCreated();
        return new Org(admin.token(), api);
    }

    private Map<String, Object> healthy(TestDevice device) {
        String nonce = (String) api.deviceCall(device, "POST", "/device/v1/attestation/challenge", null)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("nonce");
        Map<String, Object> claims = new HashMap<>();
        claims.put("nonce", nonce);
        claims.put("osVersion", "15");
        claims.put("securityPatchLevel", LocalDate.now(ZoneOffset.UTC).minusDays(20).toString());
        claims.put("encrypted", true);
        claims.put("passcodeSet", true);
        claims.put("passcodeQuality", "complex");
        claims.put("rooted", false);
        claims.put("developerOptions", false);
        claims.put("unknownSources", false);
        claims.put("installedManagedApps", List.of("org.wardfleet.messaging"));
        claims.put("policyVersion", "v");
        return claims;
    }

    private WebTestClient.BodyContentSpec report(TestDevice device, Map<String, Object> claims) {
        return api.deviceCall(device, "POST", "/device/v1/attestation", Map.of("report", sign(claims,
                device.keys()))).expectStatus().isOk().expectBody();
    }

    private WebTestClient.BodyContentSpec access(String admin, TestDevice device) {
        return http.get().uri("/api/v1/access/devices/" + device.deviceId()).headers(h -> h.setBearerAuth(admin))
                .exchange().expectStatus().isOk().expectBody();
    }

    static String sign(Map<String, Object> claims, KeyPair keys) {
        return TestDevice.signReport(claims, keys);
    }
}
