package org.wardfleet.attestation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.wardfleet.attestation.AttestationFailure;
import org.wardfleet.attestation.PlayIntegrityVerdict;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;

/**
 * Play Integrity tokens built exactly as Google's servers build them for local decryption (JWE A256KW/A256GCM around
 * an ES256 JWS), with keys generated here in place of the Play Console's.
 */
class PlayIntegrityVerifierTests {

    static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    static final String NONCE = "bm9uY2UtZnJvbS13YXJkZmxlZXQ";
    static final Set<String> APP = Set.of("org.wardfleet.agent");

    final SecretKey aes = aes();
    final KeyPair google = ec();
    final PlayIntegrityVerifier verifier = new PlayIntegrityVerifier(
            Base64.getEncoder().encodeToString(aes.getEncoded()),
            Base64.getEncoder().encodeToString(google.getPublic().getEncoded()));

    @Test
    void aStrongVerdictForThisNonceAndAppIsHardwareBacked() throws Exception {
        PlayIntegrityVerdict v = verifier.verify(token(google, NONCE, "org.wardfleet.agent", "PLAY_RECOGNIZED",
                List.of("MEETS_BASIC_INTEGRITY", "MEETS_DEVICE_INTEGRITY", "MEETS_STRONG_INTEGRITY"), NOW), NONCE,
                APP, NOW.plusSeconds(30));
        assertThat(v.valid()).as(v.detail()).isTrue();
        assertThat(v.meetsDeviceIntegrity()).isTrue();
        assertThat(v.strength()).isEqualTo("HARDWARE_BACKED");
    }

    @Test
    void aGenuineVerdictOfAFailingDeviceIsValidEvidenceThatTheDeviceFails() throws Exception {
        PlayIntegrityVerdict v = verifier.verify(token(google, NONCE, "org.wardfleet.agent", "PLAY_RECOGNIZED",
                List.of("MEETS_BASIC_INTEGRITY"), NOW), NONCE, APP, NOW);
        assertThat(v.valid()).isTrue();
        assertThat(v.meetsDeviceIntegrity()).isFalse();
    }

    @Test
    void forgedReplayedOldAndForeignVerdictsAreRefused() throws Exception {
        assertThat(verifier.verify(token(ec(), NONCE, "org.wardfleet.agent", "PLAY_RECOGNIZED",
                List.of("MEETS_DEVICE_INTEGRITY"), NOW), NONCE, APP, NOW).failure())
                .isEqualTo(AttestationFailure.BAD_SIGNATURE);
        assertThat(verifier.verify(token(google, "another-nonce", "org.wardfleet.agent", "PLAY_RECOGNIZED",
                List.of("MEETS_DEVICE_INTEGRITY"), NOW), NONCE, APP, NOW).failure())
                .isEqualTo(AttestationFailure.CHALLENGE_MISMATCH);
        assertThat(verifier.verify(token(google, NONCE, "org.wardfleet.agent", "PLAY_RECOGNIZED",
                List.of("MEETS_DEVICE_INTEGRITY"), NOW.minusSeconds(3600)), NONCE, APP, NOW).failure())
                .isEqualTo(AttestationFailure.CERTIFICATE_EXPIRED);
        assertThat(verifier.verify(token(google, NONCE, "com.repackaged.clone", "UNRECOGNIZED_VERSION",
                List.of("MEETS_DEVICE_INTEGRITY"), NOW), NONCE, APP, NOW).failure())
                .isEqualTo(AttestationFailure.APP_MISMATCH);
        assertThat(verifier.verify("garbage", NONCE, APP, NOW).failure()).isEqualTo(AttestationFailure.MALFORMED);
    }

    private String token(KeyPair signer, String nonce, String pkg, String appVerdict, List<String> device,
            Instant at) throws Exception {
        Map<String, Object> payload = Map.of(
                "requestDetails", Map.of("requestPackageName", pkg, "nonce", nonce,
                        "timestampMillis", Long.toString(at.toEpochMilli())),
                "appIntegrity", Map.of("appRecognitionVerdict", appVerdict, "packageName", pkg),
                "deviceIntegrity", Map.of("deviceRecognitionVerdict", device),
                "accountDetails", Map.of("appLicensingVerdict", "LICENSED"));
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload(payload));
        jws.sign(new ECDSASigner((ECPrivateKey) signer.getPrivate()));
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM), new Payload(jws));
        jwe.encrypt(new AESEncrypter(aes));
        return jwe.serialize();
    }

    private static SecretKey aes() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
