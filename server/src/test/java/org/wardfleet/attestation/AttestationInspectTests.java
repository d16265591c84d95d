package org.wardfleet.attestation;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** The evidence inspector through the API, on the recorded public samples, as SOURCES.md documents them. */
@WardfleetTest
class AttestationInspectTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void androidSamplesShowTheirAttestedValuesAndVerdicts() throws Exception {
        String admin = api.adminToken();
        inspect(admin, Map.of("format", "android-key", "chain", text("android-key-attestation/"
                + "tee-locked-sony-xperia10iii-sdk33.pem"), "challenge", "Pq/k1d0AkN5aQrQytCSBr1zimWNlayWExZpJLeFtAMk=",
                "at", "2026-06-04T14:59:05Z"))
                .jsonPath("$.valid").isEqualTo(true)
                .jsonPath("$.failure").doesNotExist()
                .jsonPath("$.challengeMatches").isEqualTo(true)
                .jsonPath("$.attestationSecurityLevel").isEqualTo("TRUSTED_ENVIRONMENT")
                .jsonPath("$.attestationVersion").isEqualTo(3)
                .jsonPath("$.deviceLocked").isEqualTo(true)
                .jsonPath("$.verifiedBootState").isEqualTo("VERIFIED")
                .jsonPath("$.osVersion").isEqualTo(130000)
                .jsonPath("$.osPatchLevel").isEqualTo(202307)
                .jsonPath("$.provisioning").isEqualTo("FACTORY")
                .jsonPath("$.rootKeyAlgorithm").isEqualTo("RSA-4096")
                .jsonPath("$.revocationListFetchedAt").exists();
        inspect(admin, Map.of("format", "android-key", "chain", text("android-key-attestation/"
                + "tee-unlocked-pixel3-blueline-sdk28.pem"), "challenge", "Y2hhbGxlbmdl",
                "at", "2018-09-28T23:40:35.062Z"))
                .jsonPath("$.valid").isEqualTo(true)
                .jsonPath("$.deviceLocked").isEqualTo(false)
                .jsonPath("$.verifiedBootState").isEqualTo("UNVERIFIED");
        inspect(admin, Map.of("format", "android-key", "chain", text("android-key-attestation/"
                + "software-pixelxl-marlin-sdk29.pem"), "challenge", "Y2hhbGxlbmdl", "at", "2019-10-29T00:21:52Z"))
                .jsonPath("$.valid").isEqualTo(false)
                .jsonPath("$.failure").isEqualTo("UNTRUSTED_ROOT")
                .jsonPath("$.attestationSecurityLevel").isEqualTo("SOFTWARE");
        inspect(admin, Map.of("format", "android-key", "chain", text("android-key-attestation/"
                + "strongbox-rkp-pixel9pro-caiman-sdk36.pem"), "challenge", "d3Jvbmc=",
                "at", "2025-09-26T15:30:46.327Z"))
                .jsonPath("$.valid").isEqualTo(false)
                .jsonPath("$.failure").isEqualTo("CHALLENGE_MISMATCH")
                .jsonPath("$.challengeMatches").isEqualTo(false)
                .jsonPath("$.provisioning").isEqualTo("RKP");
    }

    @Test
    void appleSampleVerifiesAndBadInputIsAProblemNotACrash() throws Exception {
        String admin = api.adminToken();
        inspect(admin, Map.of("format", "apple-app-attest", "attestation",
                text("apple-app-attest/apple-doc-2026-production-attestation.b64"),
                "keyId", "zgSY9YSD+7TaDXssY6WlOPVS1K3Lmk+pFhlcSWE+ZV0=", "teamId", "1234567890",
                "bundleId", "com.example.myapp", "clientDataHash",
                java.util.Base64.getEncoder().encodeToString("example_server_challenge".getBytes()),
                "at", "2026-04-21T18:13:12Z"))
                .jsonPath("$.valid").isEqualTo(true)
                .jsonPath("$.environment").isEqualTo("PRODUCTION")
                .jsonPath("$.counter").isEqualTo(0)
                .jsonPath("$.aaguid").isEqualTo("appattest");

        http.post().uri("/api/v1/attestation/inspect").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("format", "android-key", "chain", "not pem", "challenge", "AA=="))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:validation-failed");
        http.post().uri("/api/v1/attestation/inspect").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("format", "tpm")).exchange().expectStatus().isBadRequest();
        TestApi.User clinician = api.createUser(admin, "CLINICIAN");
        http.post().uri("/api/v1/attestation/inspect").headers(h -> h.setBearerAuth(clinician.token()))
                .bodyValue(Map.of("format", "android-key")).exchange().expectStatus().isForbidden();
        TestApi.User security = api.createUser(admin, "SECURITY");
        inspect(security.token(), Map.of("format", "android-key", "chain", text("android-key-attestation/"
                + "invalid-tags-not-in-ascending-order.pem"), "challenge", "AA==", "at", "2023-01-01T00:00:00Z"))
                .jsonPath("$.valid").isEqualTo(false)
                .jsonPath("$.failure").isEqualTo("BAD_SIGNATURE");
    }

    private WebTestClient.BodyContentSpec inspect(String token, Map<String, Object> body) {
        return http.post().uri("/api/v1/attestation/inspect").headers(h -> h.setBearerAuth(token)).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody();
    }

    private static String text(String path) throws Exception {
        try (InputStream in = AttestationInspectTests.class.getClassLoader()
                .getResourceAsStream("vectors/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
