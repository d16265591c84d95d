package org.wardfleet.sdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveSpec;

/** An EC P-256 key pair held in memory, optionally saved as an unencrypted PKCS#8 file (mode 600). */
public final class SoftwareKeyStore implements DeviceKeyStore {

    private final KeyPair keys;

    private SoftwareKeyStore(KeyPair keys) {
        this.keys = keys;
    }

    public static SoftwareKeyStore generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new SoftwareKeyStore(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is part of every Java runtime", e);
        }
    }

    public static SoftwareKeyStore load(Path pkcs8) throws IOException {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Files.readAllBytes(pkcs8)));
            return new SoftwareKeyStore(new KeyPair(publicOf((ECPrivateKey) key), key));
        } catch (GeneralSecurityException e) {
            throw new IOException("Not an EC PKCS#8 key: " + pkcs8, e);
        }
    }

    public void save(Path pkcs8) throws IOException {
        Files.write(pkcs8, keys.getPrivate().getEncoded());
        try {
            Files.setPosixFilePermissions(pkcs8, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // rely on the platform's file protection
        }
    }

    @Override
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing failed", e);
        }
    }

    /** For mutual TLS from a software key; hardware key stores supply their own {@code KeyManager}. */
    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    /** Q = d·G, computed with Bouncy Castle: a PKCS#8 file need not carry the public key. */
    private static PublicKey publicOf(ECPrivateKey key) throws GeneralSecurityException {
        var spec = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
        var q = spec.getG().multiply(key.getS()).normalize();
        ECNamedCurveSpec params = new ECNamedCurveSpec("secp256r1", spec.getCurve(), spec.getG(), spec.getN());
        ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        PublicKey bc = KeyFactory.getInstance("EC", new BouncyCastleProvider())
                .generatePublic(new ECPublicKeySpec(point, params));
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(bc.getEncoded()));
    }

    @Override
    public String decrypt(String compactJwe) {
        try {
            com.nimbusds.jose.JWEObject jwe = com.nimbusds.jose.JWEObject.parse(compactJwe);
            jwe.decrypt(new com.nimbusds.jose.crypto.ECDHDecrypter((java.security.interfaces.ECPrivateKey)
                    keys.getPrivate()));
            return jwe.getPayload().toString();
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalArgumentException("Cannot decrypt the message: " + e.getMessage(), e);
        }
    }
}
