package org.wardfleet.support;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A device's key material built by hand, so tests can also forge what a real SDK never would (wrong key, wrong URL,
 * old or replayed tokens).
 */
public final class TestDevice {

    public static final String AUDIENCE = "https://localhost:8443";

    private final KeyPair keys;
    private String deviceId;

    private TestDevice(KeyPair keys) {
        this.keys = keys;
    }

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    /** A curve the JDK lacks (secp256k1 on JDK 17) comes from Bouncy Castle. */
    public static TestDevice ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return new TestDevice(generator.generateKeyPair());
        } catch (java.security.InvalidAlgorithmParameterException unsupported) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
                generator.initialize(new ECGenParameterSpec(curve));
                return new TestDevice(generator.generateKeyPair());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device whose keys and id already exist (e.g. handed to a simulator process). */
    public static TestDevice of(KeyPair keys, String deviceId) {
        return new TestDevice(keys).enrolledAs(deviceId);
    }

    public static TestDevice p256() {
        return ec("secp256r1");
    }

    public static TestDevice rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return new TestDevice(generator.generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public KeyPair keys() {
        return keys;
    }

    public String deviceId() {
        return deviceId;
    }

    public TestDevice enrolledAs(String id) {
        this.deviceId = id;
        return this;
    }

    /** A PEM CSR whose subject asks for something the server must ignore. */
    public String csrPem() {
        try {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(csr());
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public PKCS10CertificationRequest csr() {
        try {
            String alg = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=I am the CA admin,O=Evil"),
                    keys.getPublic()).build(new JcaContentSignerBuilder(alg).setProvider(BC).build(keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device JWT for {@code method url}, signed by this device's key; {@code tweak} may spoil it. */
    public String jwt(String method, String url, Consumer<JWTClaimsSet.Builder> tweak) {
        return jwt(method, url, tweak, keys, JWSAlgorithm.ES256);
    }

    public String jwt(String method, String url, Consumer<JWTClaimsSet.Builder> tweak, KeyPair signer,
            JWSAlgorithm alg) {
        try {
            Instant now = Instant.now();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(deviceId).subject(deviceId)
                    .audience(AUDIENCE).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                    .jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", AUDIENCE + url);
            tweak.accept(claims);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(new JOSEObjectType("wf-device+jwt"))
                    .keyID(deviceId).build(), claims.build());
            jwt.sign(new ECDSASigner((java.security.interfaces.ECPrivateKey) signer.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String jwt(String method, String url) {
        return jwt(method, url, c -> { });
    }

    /** A JWS (ES256 with this device's key, typ {@code wf-posture+jwt}) over {@code claims}: a posture report. */
    public String signReport(java.util.Map<String, Object> claims) {
        return signReport(claims, keys());
    }

    public static String signReport(java.util.Map<String, Object> claims, KeyPair keys) {
        try {
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new com.nimbusds.jose.JWSHeader.Builder(
                    com.nimbusds.jose.JWSAlgorithm.ES256).type(new com.nimbusds.jose.JOSEObjectType("wf-posture+jwt"))
                    .build(), new com.nimbusds.jose.Payload(claims));
            jws.sign(new com.nimbusds.jose.crypto.ECDSASigner((java.security.interfaces.ECPrivateKey) keys.getPrivate()));
            return jws.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
