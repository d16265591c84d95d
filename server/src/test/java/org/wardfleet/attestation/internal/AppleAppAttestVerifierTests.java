package org.wardfleet.attestation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.wardfleet.attestation.AppleAttestation;
import org.wardfleet.attestation.AttestationFailure;

/** Apple's own documentation sample and a real iOS 14.4 development attestation (vectors/SOURCES.md). */
class AppleAppAttestVerifierTests {

    final AppleAppAttestVerifier verifier = new AppleAppAttestVerifier(root());

    @Test
    void applesDocumentationSampleVerifiesWithItsChallengePassedAsTheClientDataHash() throws Exception {
        byte[] object = Base64.getMimeDecoder().decode(text("apple-doc-2026-production-attestation.b64"));
        AppleAttestation a = verifier.verify(object, "zgSY9YSD+7TaDXssY6WlOPVS1K3Lmk+pFhlcSWE+ZV0=", "1234567890",
                "com.example.myapp", "example_server_challenge".getBytes(StandardCharsets.US_ASCII),
                Instant.parse("2026-04-21T18:13:12Z"));
        assertThat(a.valid()).as(a.detail()).isTrue();
        assertThat(a.environment()).isEqualTo("PRODUCTION");
        assertThat(a.counter()).isZero();
        assertThat(a.aaguid()).isEqualTo("appattest");
        assertThat(a.strength()).isEqualTo("HARDWARE_BACKED");
    }

    @Test
    void aRealIos14DevelopmentAttestationVerifiesAtItsTimeAndNotAfter() throws Exception {
        byte[] object = bytes("ios-14.4-attestation.cbor");
        byte[] clientDataHash = AppleAppAttestVerifier.sha256("wurzelpfropf".getBytes(StandardCharsets.UTF_8));
        String keyId = "YmbJO4x5nEHUvncp9zdWuVZjNBEMgJn3cdSToAXQe3M=";
        Instant at = Instant.parse("2021-01-23T12:13:33.335Z");
        AppleAttestation a = verifier.verify(object, keyId, "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                clientDataHash, at);
        assertThat(a.valid()).as(a.detail()).isTrue();
        assertThat(a.environment()).isEqualTo("DEVELOPMENT");
        assertThat(a.aaguid()).isEqualTo("appattestdevelop");

        assertThat(verifier.verify(object, keyId, "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                clientDataHash, Instant.parse("2021-02-01T00:00:00Z")).failure())
                .isEqualTo(AttestationFailure.CERTIFICATE_EXPIRED);
        AppleAttestation wrongChallenge = verifier.verify(object, keyId, "6MURL8TA57",
                "de.vincent-haupert.apple-appattest-poc", AppleAppAttestVerifier.sha256("other".getBytes()), at);
        assertThat(wrongChallenge.failure()).isEqualTo(AttestationFailure.CHALLENGE_MISMATCH);
        assertThat(wrongChallenge.challengeMatches()).isFalse();
        assertThat(verifier.verify(object, keyId, "6MURL8TA57", "org.wardfleet.other", clientDataHash, at).failure())
                .isEqualTo(AttestationFailure.APP_MISMATCH);
        assertThat(verifier.verify(object, "zgSY9YSD+7TaDXssY6WlOPVS1K3Lmk+pFhlcSWE+ZV0=", "6MURL8TA57",
                "de.vincent-haupert.apple-appattest-poc", clientDataHash, at).failure())
                .isEqualTo(AttestationFailure.KEY_ID_MISMATCH);
    }

    @Test
    void aLaterAssertionIsCheckedAgainstTheAttestedKeyAndARisingCounter() throws Exception {
        byte[] clientDataHash = AppleAppAttestVerifier.sha256("wurzelpfropf".getBytes(StandardCharsets.UTF_8));
        AppleAttestation attested = verifier.verify(bytes("ios-14.4-attestation.cbor"),
                "YmbJO4x5nEHUvncp9zdWuVZjNBEMgJn3cdSToAXQe3M=", "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                clientDataHash, Instant.parse("2021-01-23T12:13:33.335Z"));
        java.security.PublicKey key = java.security.KeyFactory.getInstance("EC").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(attested.publicKey())));
        byte[] assertion = bytes("ios-14.4-assertion.cbor");
        var ok = verifier.verifyAssertion(assertion, key, "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                clientDataHash, 0);
        assertThat(ok.valid()).as(ok.detail()).isTrue();
        assertThat(ok.counter()).isEqualTo(1);
        // the same assertion again: its counter is no longer above the last one accepted
        assertThat(verifier.verifyAssertion(assertion, key, "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                clientDataHash, 1).valid()).isFalse();
        assertThat(verifier.verifyAssertion(assertion, key, "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                AppleAppAttestVerifier.sha256("other".getBytes()), 0).failure())
                .isEqualTo(AttestationFailure.BAD_SIGNATURE);
        assertThat(verifier.verifyAssertion(assertion, key, "6MURL8TA57", "org.other.app", clientDataHash, 0)
                .failure()).isEqualTo(AttestationFailure.APP_MISMATCH);
    }

    @Test
    void garbageAndAForeignRootAreRefusedNotCrashed() throws Exception {
        assertThat(verifier.verify(new byte[] {1, 2, 3}, "x", "t", "b", new byte[32], Instant.now()).failure())
                .isEqualTo(AttestationFailure.MALFORMED);
        X509Certificate google = AndroidKeyAttestationVerifierTests.chain("tee-unlocked-pixel3-blueline-sdk28").get(3);
        AppleAppAttestVerifier foreign = new AppleAppAttestVerifier(google);
        assertThat(foreign.verify(bytes("ios-14.4-attestation.cbor"), "YmbJO4x5nEHUvncp9zdWuVZjNBEMgJn3cdSToAXQe3M=",
                "6MURL8TA57", "de.vincent-haupert.apple-appattest-poc",
                AppleAppAttestVerifier.sha256("wurzelpfropf".getBytes()), Instant.parse("2021-01-23T12:13:33.335Z"))
                .failure()).isEqualTo(AttestationFailure.UNTRUSTED_ROOT);
    }

    static X509Certificate root() {
        try {
            return TrustAnchors.pem(new String(resource("attestation/apple-app-attestation-root-ca.pem")
                    .readAllBytes(), StandardCharsets.US_ASCII)).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String name) throws Exception {
        return new String(bytes(name), StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String name) throws Exception {
        try (InputStream in = resource("vectors/apple-app-attest/" + name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String path) {
        return AppleAppAttestVerifierTests.class.getClassLoader().getResourceAsStream(path);
    }
}
