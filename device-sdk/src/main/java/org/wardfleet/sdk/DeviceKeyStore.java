package org.wardfleet.sdk;

import java.security.PublicKey;

/**
 * The device's key pair. The private key never has to leave it: an Android Keystore or Secure Enclave
 * implementation only has to sign. {@link SoftwareKeyStore} is the in-memory implementation for tests, simulators
 * and platforms without hardware keys.
 */
public interface DeviceKeyStore {

    /** The EC P-256 public key the device enrolls with. */
    PublicKey publicKey();

    /** SHA256withECDSA over {@code data}, DER encoded (what {@code java.security.Signature} returns). */
    byte[] sign(byte[] data);

    /**
     * Decrypts a compact JWE (ECDH-ES+A256KW, A256GCM) addressed to this key: how messages reach the device. A
     * hardware keystore implements it with an ECDH key agreement (Android: {@code PURPOSE_AGREE_KEY}).
     */
    default String decrypt(String compactJwe) {
        throw new UnsupportedOperationException("This key store cannot decrypt messages");
    }
}
