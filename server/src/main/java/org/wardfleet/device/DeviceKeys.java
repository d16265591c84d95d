package org.wardfleet.device;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;

/**
 * A device's enrolled public key (stored as base64 SubjectPublicKeyInfo) and the one JWS algorithm it may sign
 * with: the algorithm follows from the key, never from the token header (no {@code none}, no HMAC confusion).
 * Other features use it to check what a device signed (compliance reports).
 */
public final class DeviceKeys {

    private DeviceKeys() {
    }

    public static PublicKey parse(String base64Spki) throws GeneralSecurityException {
        byte[] der = Base64.getDecoder().decode(base64Spki);
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notEc) {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static Set<JWSAlgorithm> allowedAlgorithms(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (Curve.P_256.equals(curve)) {
                return Set.of(JWSAlgorithm.ES256);
            }
            if (Curve.P_384.equals(curve)) {
                return Set.of(JWSAlgorithm.ES384);
            }
            return Set.of();
        }
        return key instanceof RSAPublicKey ? Set.of(JWSAlgorithm.PS256, JWSAlgorithm.RS256) : Set.of();
    }

    /** True when {@code jws} is signed, with the one algorithm the key allows, by the device key {@code base64Spki}. */
    public static boolean signedBy(String base64Spki, com.nimbusds.jose.JWSObject jws) {
        try {
            PublicKey key = parse(base64Spki);
            return allowedAlgorithms(key).contains(jws.getHeader().getAlgorithm()) && jws.verify(verifier(key));
        } catch (GeneralSecurityException | JOSEException | IllegalArgumentException e) {
            return false;
        }
    }

    public static JWSVerifier verifier(PublicKey key) throws JOSEException {
        return key instanceof ECPublicKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAPublicKey) key);
    }
}
