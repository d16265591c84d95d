package org.wardfleet.attestation.internal;

import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import org.wardfleet.attestation.AttestationFailure;
import org.wardfleet.attestation.PlayIntegrityVerdict;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;

/**
 * Play Integrity verdict tokens decrypted and verified locally with the keys from the Play Console (a JWE,
 * A256KW/A256GCM, around a JWS, ES256): the nonce must be this server's, the package the configured app, the app
 * recognised by Play, the token fresh; the device verdict is reported for compliance to judge.
 */
final class PlayIntegrityVerifier {

    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final SecretKeySpec decryptionKey;
    private final ECPublicKey verificationKey;

    PlayIntegrityVerifier(String decryptionKeyBase64, String verificationKeyBase64) {
        try {
            this.decryptionKey = new SecretKeySpec(Base64.getDecoder().decode(decryptionKeyBase64), "AES");
            this.verificationKey = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(verificationKeyBase64)));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Unreadable Play Integrity keys: " + e.getMessage(), e);
        }
    }

    PlayIntegrityVerdict verify(String token, String nonce, Set<String> packages, Instant now) {
        Map<String, Object> claims;
        try {
            JWEObject jwe = JWEObject.parse(token);
            if (!JWEAlgorithm.A256KW.equals(jwe.getHeader().getAlgorithm())) {
                return refused(AttestationFailure.MALFORMED, "Unexpected JWE algorithm");
            }
            jwe.decrypt(new AESDecrypter(decryptionKey));
            JWSObject jws = jwe.getPayload().toJWSObject();
            if (jws == null || !JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
                return refused(AttestationFailure.MALFORMED, "The verdict is not an ES256 JWS");
            }
            if (!jws.verify(new ECDSAVerifier(verificationKey))) {
                return refused(AttestationFailure.BAD_SIGNATURE, "The verdict's signature does not verify");
            }
            claims = jws.getPayload().toJSONObject();
        } catch (ParseException | IllegalStateException e) {
            return refused(AttestationFailure.MALFORMED, "Unreadable token: " + e.getMessage());
        } catch (JOSEException e) {
            return refused(AttestationFailure.BAD_SIGNATURE, "Cannot decrypt or verify: " + e.getMessage());
        }
        Map<?, ?> request = map(claims.get("requestDetails"));
        Map<?, ?> app = map(claims.get("appIntegrity"));
        Map<?, ?> device = map(claims.get("deviceIntegrity"));
        List<String> verdicts = new ArrayList<>();
        if (device.get("deviceRecognitionVerdict") instanceof List<?> list) {
            list.forEach(v -> verdicts.add(String.valueOf(v)));
        }
        String packageName = (String) request.get("requestPackageName");
        String appVerdict = (String) app.get("appRecognitionVerdict");
        boolean nonceMatches = nonce.equals(request.get("nonce"));
        if (!nonceMatches) {
            return result(false, AttestationFailure.CHALLENGE_MISMATCH, "Another request's nonce", false, packageName,
                    appVerdict, verdicts);
        }
        Object ts = request.get("timestampMillis");
        Instant issued = ts == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(String.valueOf(ts)));
        if (issued.plus(MAX_AGE).isBefore(now)) {
            return result(false, AttestationFailure.CERTIFICATE_EXPIRED, "The verdict is older than " + MAX_AGE, true,
                    packageName, appVerdict, verdicts);
        }
        if (!packages.isEmpty() && !packages.contains(packageName) || !"PLAY_RECOGNIZED".equals(appVerdict)) {
            return result(false, AttestationFailure.APP_MISMATCH, "App " + packageName + " is " + appVerdict, true,
                    packageName, appVerdict, verdicts);
        }
        return result(true, null, null, true, packageName, appVerdict, verdicts);
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static PlayIntegrityVerdict refused(AttestationFailure failure, String detail) {
        return new PlayIntegrityVerdict(false, failure, detail, false, null, null, List.of(), "SELF_REPORTED");
    }

    private static PlayIntegrityVerdict result(boolean valid, AttestationFailure failure, String detail,
            boolean nonce, String packageName, String appVerdict, List<String> verdicts) {
        String strength = !valid ? "SELF_REPORTED"
                : verdicts.contains("MEETS_STRONG_INTEGRITY") ? "HARDWARE_BACKED" : "SOFTWARE_ATTESTED";
        return new PlayIntegrityVerdict(valid, failure, detail, nonce, packageName, appVerdict, verdicts, strength);
    }
}
