package org.wardfleet.attestation.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.wardfleet.attestation.AppleAttestation;
import org.wardfleet.attestation.AttestationFailure;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Verifies an App Attest attestation object (Apple's "Validating apps that connect to your server", steps 1–9):
 * the x5c chain to the App Attestation root at the given instant; the nonce extension
 * (1.2.840.113635.100.8.2) equal to SHA-256(authData ‖ clientDataHash); the key id equal to SHA-256 of the attested
 * public key; the RP id hash equal to SHA-256(teamId.bundleId); counter 0; an App Attest aaguid; the credential id
 * equal to the key id. Authenticator-data extensions are tolerated even when the ED flag is clear, as Apple's own
 * sample carries them.
 */
final class AppleAppAttestVerifier {

    static final String NONCE_OID = "1.2.840.113635.100.8.2";
    static final byte[] PRODUCTION = Arrays.copyOf("appattest".getBytes(StandardCharsets.US_ASCII), 16);
    static final byte[] DEVELOPMENT = "appattestdevelop".getBytes(StandardCharsets.US_ASCII);
    private static final CBORMapper CBOR = CBORMapper.builder().build();

    private final X509Certificate root;

    AppleAppAttestVerifier(X509Certificate root) {
        this.root = root;
    }

    AppleAttestation verify(byte[] attestationObject, String keyIdBase64, String teamId, String bundleId,
            byte[] clientDataHash, Instant at) {
        JsonNode object;
        List<X509Certificate> chain;
        byte[] authData;
        try {
            object = CBOR.readTree(attestationObject);
            if (!"apple-appattest".equals(object.path("fmt").asString(null))) {
                return refused(AttestationFailure.MALFORMED, "fmt is not apple-appattest");
            }
            chain = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (JsonNode der : object.path("attStmt").path("x5c")) {
                chain.add((X509Certificate) factory.generateCertificate(
                        new java.io.ByteArrayInputStream(der.binaryValue())));
            }
            authData = object.path("authData").binaryValue();
            if (chain.isEmpty() || authData == null || authData.length < 55) {
                return refused(AttestationFailure.MALFORMED, "x5c or authData missing");
            }
        } catch (RuntimeException | CertificateException e) {
            return refused(AttestationFailure.MALFORMED, "Unreadable attestation object: " + e.getMessage());
        }
        ByteBuffer auth = ByteBuffer.wrap(authData);
        byte[] rpIdHash = take(auth, 32);
        auth.get(); // flags
        long counter = Integer.toUnsignedLong(auth.getInt());
        byte[] aaguid = take(auth, 16);
        int credentialIdLength = Short.toUnsignedInt(auth.getShort());
        if (credentialIdLength > auth.remaining()) {
            return refused(AttestationFailure.MALFORMED, "authData too short for its credential id");
        }
        byte[] credentialId = take(auth, credentialIdLength);
        String environment = Arrays.equals(aaguid, PRODUCTION) ? "PRODUCTION"
                : Arrays.equals(aaguid, DEVELOPMENT) ? "DEVELOPMENT" : null;
        X509Certificate leaf = chain.get(0);
        String publicKey = Base64.getEncoder().encodeToString(leaf.getPublicKey().getEncoded());
        String aaguidText = new String(aaguid, StandardCharsets.US_ASCII).replace("\0", "");
        byte[] expectedNonce = sha256(authData, clientDataHash);
        byte[] attestedNonce;
        try {
            attestedNonce = nonce(leaf);
        } catch (IOException e) {
            return result(false, AttestationFailure.MALFORMED, e.getMessage(), false, environment, counter,
                    aaguidText, keyIdBase64, publicKey);
        }
        boolean nonceMatches = MessageDigest.isEqual(expectedNonce, attestedNonce);
        AttestationFailure chainFailure = chain(chain, at);
        if (chainFailure != null) {
            return result(false, chainFailure, "The x5c chain does not lead to the App Attestation root at " + at,
                    nonceMatches, environment, counter, aaguidText, keyIdBase64, publicKey);
        }
        if (!nonceMatches) {
            return result(false, AttestationFailure.CHALLENGE_MISMATCH, "nonce != SHA-256(authData || clientDataHash)",
                    false, environment, counter, aaguidText, keyIdBase64, publicKey);
        }
        byte[] keyId = keyId(leaf.getPublicKey());
        byte[] claimedKeyId;
        try {
            claimedKeyId = Base64.getDecoder().decode(keyIdBase64);
        } catch (IllegalArgumentException e) {
            claimedKeyId = new byte[0];
        }
        if (!MessageDigest.isEqual(keyId, claimedKeyId) || !MessageDigest.isEqual(keyId, credentialId)) {
            return result(false, AttestationFailure.KEY_ID_MISMATCH, "The key id is not SHA-256 of the attested key",
                    true, environment, counter, aaguidText, keyIdBase64, publicKey);
        }
        if (!MessageDigest.isEqual(rpIdHash, sha256((teamId + "." + bundleId).getBytes(StandardCharsets.UTF_8)))) {
            return result(false, AttestationFailure.APP_MISMATCH, "The RP id is not " + teamId + "." + bundleId,
                    true, environment, counter, aaguidText, keyIdBase64, publicKey);
        }
        if (counter != 0 || environment == null) {
            return result(false, AttestationFailure.MALFORMED, "counter must be 0 and aaguid an App Attest one",
                    true, environment, counter, aaguidText, keyIdBase64, publicKey);
        }
        return result(true, null, null, true, environment, counter, aaguidText, keyIdBase64, publicKey);
    }

    /** A verified assertion: its counter, which must exceed the last one the server accepted for the key. */
    record Assertion(boolean valid, AttestationFailure failure, String detail, long counter) {
    }

    /**
     * A later App Attest assertion (CBOR {@code signature}, {@code authenticatorData}): signed by the attested key
     * (SHA256withECDSA over SHA-256(authenticatorData ‖ clientDataHash)), for this app, with a counter above
     * {@code lastCounter} (a replayed or cloned key's assertion fails that).
     */
    Assertion verifyAssertion(byte[] assertion, PublicKey attestedKey, String teamId, String bundleId,
            byte[] clientDataHash, long lastCounter) {
        byte[] signature;
        byte[] authData;
        try {
            JsonNode object = CBOR.readTree(assertion);
            signature = object.path("signature").binaryValue();
            authData = object.path("authenticatorData").binaryValue();
            if (signature == null || authData == null || authData.length < 37) {
                return new Assertion(false, AttestationFailure.MALFORMED, "signature or authenticatorData missing", 0);
            }
        } catch (RuntimeException e) {
            return new Assertion(false, AttestationFailure.MALFORMED, "Unreadable assertion: " + e.getMessage(), 0);
        }
        ByteBuffer auth = ByteBuffer.wrap(authData);
        byte[] rpIdHash = take(auth, 32);
        auth.get();
        long counter = Integer.toUnsignedLong(auth.getInt());
        try {
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(attestedKey);
            verifier.update(sha256(authData, clientDataHash));
            if (!verifier.verify(signature)) {
                return new Assertion(false, AttestationFailure.BAD_SIGNATURE, "Not signed by the attested key",
                        counter);
            }
        } catch (GeneralSecurityException e) {
            return new Assertion(false, AttestationFailure.BAD_SIGNATURE, e.getMessage(), counter);
        }
        if (!MessageDigest.isEqual(rpIdHash, sha256((teamId + "." + bundleId).getBytes(StandardCharsets.UTF_8)))) {
            return new Assertion(false, AttestationFailure.APP_MISMATCH, "Another app's assertion", counter);
        }
        if (counter <= lastCounter) {
            return new Assertion(false, AttestationFailure.CHALLENGE_MISMATCH, "Counter " + counter
                    + " is not above " + lastCounter + " (replayed or cloned key)", counter);
        }
        return new Assertion(true, null, null, counter);
    }

    /** Leaf and intermediate valid at {@code at}; each signed by the next; the last signed by the trusted root. */
    private AttestationFailure chain(List<X509Certificate> chain, Instant at) {
        List<X509Certificate> full = new ArrayList<>(chain);
        if (!full.get(full.size() - 1).equals(root)) {
            full.add(root);
        }
        for (int i = 0; i < full.size() - 1; i++) {
            X509Certificate cert = full.get(i);
            X509Certificate issuer = full.get(i + 1);
            try {
                if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                    return AttestationFailure.UNTRUSTED_ROOT;
                }
                cert.verify(issuer.getPublicKey());
                cert.checkValidity(Date.from(at));
            } catch (java.security.cert.CertificateExpiredException
                    | java.security.cert.CertificateNotYetValidException e) {
                return AttestationFailure.CERTIFICATE_EXPIRED;
            } catch (GeneralSecurityException e) {
                return AttestationFailure.BAD_SIGNATURE;
            }
        }
        return null;
    }

    private static byte[] nonce(X509Certificate leaf) throws IOException {
        byte[] wrapped = leaf.getExtensionValue(NONCE_OID);
        if (wrapped == null) {
            throw new IOException("The credential certificate has no nonce extension");
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1OctetString.getInstance(wrapped).getOctets());
            ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(seq.getObjectAt(0));
            return ASN1OctetString.getInstance(tagged.getExplicitBaseObject()).getOctets();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("Malformed nonce extension", e);
        }
    }

    /** SHA-256 of the uncompressed EC point (0x04 ‖ X ‖ Y), as App Attest defines the key id. */
    static byte[] keyId(PublicKey key) {
        ECPublicKey ec = (ECPublicKey) key;
        byte[] point = new byte[65];
        point[0] = 0x04;
        copy(ec.getW().getAffineX().toByteArray(), point, 1);
        copy(ec.getW().getAffineY().toByteArray(), point, 33);
        return sha256(point);
    }

    private static void copy(byte[] unsigned, byte[] into, int offset) {
        int skip = Math.max(0, unsigned.length - 32);
        int pad = 32 - (unsigned.length - skip);
        System.arraycopy(unsigned, skip, into, offset + pad, unsigned.length - skip);
    }

    private static byte[] take(ByteBuffer buffer, int n) {
        byte[] out = new byte[n];
        buffer.get(out);
        return out;
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AppleAttestation refused(AttestationFailure failure, String detail) {
        return new AppleAttestation(false, failure, detail, false, null, null, null, null, null, "SELF_REPORTED");
    }

    private static AppleAttestation result(boolean valid, AttestationFailure failure, String detail,
            boolean challengeMatches, String environment, Long counter, String aaguid, String keyId,
            String publicKey) {
        return new AppleAttestation(valid, failure, detail, challengeMatches, environment, counter, aaguid, keyId,
                publicKey, valid ? "HARDWARE_BACKED" : "SELF_REPORTED");
    }
}
