package org.wardfleet.attestation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.wardfleet.attestation.AndroidAttestation;
import org.wardfleet.attestation.AttestationFailure;

/** The real public Android samples (vectors/SOURCES.md), each verified at its recorded instant. */
class AndroidKeyAttestationVerifierTests {

    static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    static final RevocationStatus FRESH_EMPTY = new RevocationStatus(Map.of(), NOW.minusSeconds(60));

    final AndroidKeyAttestationVerifier verifier = new AndroidKeyAttestationVerifier(roots(), Duration.ofHours(48));

    @Test
    void aLockedSonyWithAFactoryChainWhoseIntermediatesExpiredIsValidAndShowsItsOldPatchLevel() throws Exception {
        AndroidAttestation a = verify("tee-locked-sony-xperia10iii-sdk33",
                Base64.getDecoder().decode("Pq/k1d0AkN5aQrQytCSBr1zimWNlayWExZpJLeFtAMk="), "2026-06-04T14:59:05Z");
        assertThat(a.valid()).as(a.detail()).isTrue();
        assertThat(a.challengeMatches()).isTrue();
        assertThat(a.attestationVersion()).isEqualTo(3);
        assertThat(a.attestationSecurityLevel()).isEqualTo("TRUSTED_ENVIRONMENT");
        assertThat(a.deviceLocked()).isTrue();
        assertThat(a.verifiedBootState()).isEqualTo("VERIFIED");
        assertThat(a.osVersion()).isEqualTo(130000);
        assertThat(a.osPatchLevel()).isEqualTo(202307);
        assertThat(a.vendorPatchLevel()).isEqualTo(20230701);
        assertThat(a.bootPatchLevel()).isEqualTo(20230701);
        assertThat(a.provisioning()).isEqualTo("FACTORY");
        assertThat(a.rootKeyAlgorithm()).isEqualTo("RSA-4096");
        assertThat(a.packageNames()).containsExactly("com.android.vending");
        assertThat(a.strength()).isEqualTo("HARDWARE_BACKED");
    }

    @Test
    void aStrongBoxPixelWithARemotelyProvisionedChainIsValidOnlyWhileItsCertificatesAre() throws Exception {
        byte[] challenge = "7ccac1ea-4845-482e-858d-f6fa9aa8c295".getBytes(StandardCharsets.UTF_8);
        AndroidAttestation a = verify("strongbox-rkp-pixel9pro-caiman-sdk36", challenge, "2025-09-26T15:30:46.327Z");
        assertThat(a.valid()).as(a.detail()).isTrue();
        assertThat(a.attestationVersion()).isEqualTo(300);
        assertThat(a.attestationSecurityLevel()).isEqualTo("STRONG_BOX");
        assertThat(a.deviceLocked()).isTrue();
        assertThat(a.verifiedBootState()).isEqualTo("VERIFIED");
        assertThat(a.osVersion()).isEqualTo(160000);
        assertThat(a.osPatchLevel()).isEqualTo(202511);
        assertThat(a.vendorPatchLevel()).isEqualTo(20251105);
        assertThat(a.bootPatchLevel()).isEqualTo(20251105);
        assertThat(a.provisioning()).isEqualTo("RKP");

        AndroidAttestation later = verify("strongbox-rkp-pixel9pro-caiman-sdk36", challenge, "2025-10-10T00:00:00Z");
        assertThat(later.valid()).isFalse();
        assertThat(later.failure()).isEqualTo(AttestationFailure.CERTIFICATE_EXPIRED);
    }

    @Test
    void anUnlockedPixelIsGenuineEvidenceOfAnUnlockedBootloaderNotAnInvalidChain() throws Exception {
        AndroidAttestation a = verify("tee-unlocked-pixel3-blueline-sdk28", "challenge".getBytes(),
                "2018-09-28T23:40:35.062Z");
        assertThat(a.valid()).as(a.detail()).isTrue();
        assertThat(a.deviceLocked()).isFalse();
        assertThat(a.verifiedBootState()).isEqualTo("UNVERIFIED");
        assertThat(a.osVersion()).isEqualTo(90000);
        assertThat(a.osPatchLevel()).isEqualTo(201908);
        assertThat(a.vendorPatchLevel()).isEqualTo(201809);
        assertThat(a.bootPatchLevel()).isEqualTo(201908);
        assertThat(a.provisioning()).isEqualTo("FACTORY");
    }

    @Test
    void softwareAttestationAndABrokenSignatureAreRefused() throws Exception {
        AndroidAttestation software = verify("software-pixelxl-marlin-sdk29", "challenge".getBytes(),
                "2019-10-29T00:21:52Z");
        assertThat(software.valid()).isFalse();
        assertThat(software.failure()).isEqualTo(AttestationFailure.UNTRUSTED_ROOT);
        assertThat(software.attestationSecurityLevel()).isEqualTo("SOFTWARE");

        AndroidAttestation broken = verifier.verify(chain("invalid-tags-not-in-ascending-order"), new byte[0],
                Instant.parse("2023-01-01T00:00:00Z"), NOW, FRESH_EMPTY,
                AndroidKeyAttestationVerifier.ExpectedApp.ANY);
        assertThat(broken.valid()).isFalse();
        assertThat(broken.failure()).isEqualTo(AttestationFailure.BAD_SIGNATURE);
    }

    @Test
    void aWrongChallengeATamperedLeafARevokedCertificateAndAStaleListAreEachNamed() throws Exception {
        Instant at = Instant.parse("2018-09-28T23:40:35.062Z");
        List<X509Certificate> chain = chain("tee-unlocked-pixel3-blueline-sdk28");
        var any = AndroidKeyAttestationVerifier.ExpectedApp.ANY;

        AndroidAttestation wrong = verifier.verify(chain, "another".getBytes(), at, NOW, FRESH_EMPTY, any);
        assertThat(wrong.failure()).isEqualTo(AttestationFailure.CHALLENGE_MISMATCH);
        assertThat(wrong.challengeMatches()).isFalse();

        byte[] leaf = chain.get(0).getEncoded();
        leaf[leaf.length - 5] ^= 0x01; // inside the signature
        List<X509Certificate> tampered = new ArrayList<>(chain);
        tampered.set(0, (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(leaf)));
        assertThat(verifier.verify(tampered, "challenge".getBytes(), at, NOW, FRESH_EMPTY, any).failure())
                .isEqualTo(AttestationFailure.BAD_SIGNATURE);

        // the attestation certificate (openssl prints serial=05014131950868983053, hex) listed as revoked: the list
        // keys are unpadded hex even when they contain only digits
        String serial = chain.get(1).getSerialNumber().toString(16);
        assertThat(serial).isEqualTo("5014131950868983053");
        RevocationStatus revoked = new RevocationStatus(Map.of(serial, "REVOKED"), NOW);
        assertThat(verifier.verify(chain, "challenge".getBytes(), at, NOW, revoked, any).failure())
                .isEqualTo(AttestationFailure.REVOKED);

        RevocationStatus stale = new RevocationStatus(Map.of(), NOW.minus(Duration.ofDays(3)));
        assertThat(verifier.verify(chain, "challenge".getBytes(), at, NOW, stale, any).failure())
                .isEqualTo(AttestationFailure.REVOCATION_STATUS_UNKNOWN);
        assertThat(verifier.verify(chain, "challenge".getBytes(), at, NOW, RevocationStatus.NONE, any).failure())
                .isEqualTo(AttestationFailure.REVOCATION_STATUS_UNKNOWN);

        var otherApp = new AndroidKeyAttestationVerifier.ExpectedApp(java.util.Set.of("org.wardfleet.agent"),
                java.util.Set.of());
        assertThat(verify("tee-locked-sony-xperia10iii-sdk33", otherApp).failure())
                .isEqualTo(AttestationFailure.APP_MISMATCH);
    }

    @Test
    void theShippedRevocationSampleParses() throws Exception {
        try (InputStream in = resource("vectors/android-key-attestation/revocation-status-sample.json")) {
            RevocationStatus status = GoogleRevocationList.parse(in, NOW);
            assertThat(status.entries()).isNotEmpty().allSatisfy((serial, state) -> {
                assertThat(serial).matches("[0-9a-f]+");
                assertThat(state).isIn("REVOKED", "SUSPENDED");
            });
        }
    }

    private AndroidAttestation verify(String name, AndroidKeyAttestationVerifier.ExpectedApp app) throws Exception {
        return verifier.verify(chain(name), Base64.getDecoder().decode("Pq/k1d0AkN5aQrQytCSBr1zimWNlayWExZpJLeFtAMk="),
                Instant.parse("2026-06-04T14:59:05Z"), NOW, FRESH_EMPTY, app);
    }

    private AndroidAttestation verify(String name, byte[] challenge, String at) throws Exception {
        return verifier.verify(chain(name), challenge, Instant.parse(at), NOW, FRESH_EMPTY,
                AndroidKeyAttestationVerifier.ExpectedApp.ANY);
    }

    static List<X509Certificate> chain(String name) throws Exception {
        try (InputStream in = resource("vectors/android-key-attestation/" + name + ".pem")) {
            return TrustAnchors.pem(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    static List<java.security.PublicKey> roots() {
        try (InputStream in = resource("attestation/google-attestation-roots.json")) {
            return TrustAnchors.googleRootKeys(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static InputStream resource(String path) {
        return AndroidKeyAttestationVerifierTests.class.getClassLoader().getResourceAsStream(path);
    }
}
