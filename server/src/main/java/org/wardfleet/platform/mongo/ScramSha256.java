package org.wardfleet.platform.mongo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as MongoDB speaks it ({@code saslStart}/{@code saslContinue}),
 * so that the embedded database accepts only a client that knows its password — the server process itself — and no
 * other local account can connect to its loopback port and read or change the data. Only the stored key and server
 * key are kept, as a real server would; the comparison of proofs is constant-time.
 */
final class ScramSha256 {

    static final String MECHANISM = "SCRAM-SHA-256";
    /** The lowest count drivers accept (RFC 7677 recommends at least 4096). */
    static final int ITERATIONS = 4096;

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;

    private ScramSha256(String user, byte[] salt, byte[] storedKey, byte[] serverKey) {
        this.user = user;
        this.salt = salt;
        this.storedKey = storedKey;
        this.serverKey = serverKey;
    }

    static ScramSha256 forPassword(String user, String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] salted = hi(password, salt, ITERATIONS);
        return new ScramSha256(user, salt, sha256(hmac(salted, "Client Key")), hmac(salted, "Server Key"));
    }

    /** A failed exchange: the client gets MongoDB's AuthenticationFailed, with no detail. */
    static final class Failed extends Exception {
        Failed(String why) {
            super(why, null, false, false);
        }
    }

    /** One client's exchange: {@link #first} answers the client-first message, {@link #last} the client-final one. */
    final class Exchange {
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;

        byte[] first(byte[] clientFirstMessage) throws Failed {
            String message = new String(clientFirstMessage, StandardCharsets.UTF_8);
            // no channel binding ("n,,"), no authzid: what drivers send over a plain connection
            if (!message.startsWith("n,,")) {
                throw new Failed("unsupported GS2 header");
            }
            clientFirstBare = message.substring(3);
            String name = attribute(clientFirstBare, 'n');
            String clientNonce = attribute(clientFirstBare, 'r');
            if (name == null || clientNonce == null || clientNonce.isEmpty()
                    || !MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8),
                            user.getBytes(StandardCharsets.UTF_8))) {
                throw new Failed("unknown user");
            }
            byte[] serverNonce = new byte[24];
            RANDOM.nextBytes(serverNonce);
            nonce = clientNonce + B64.encodeToString(serverNonce);
            serverFirst = "r=" + nonce + ",s=" + B64.encodeToString(salt) + ",i=" + ITERATIONS;
            return serverFirst.getBytes(StandardCharsets.UTF_8);
        }

        byte[] last(byte[] clientFinalMessage) throws Failed {
            if (serverFirst == null) {
                throw new Failed("no exchange started");
            }
            String message = new String(clientFinalMessage, StandardCharsets.UTF_8);
            int proofAt = message.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new Failed("no proof");
            }
            String withoutProof = message.substring(0, proofAt);
            if (!"biws".equals(attribute(withoutProof, 'c')) || !nonce.equals(attribute(withoutProof, 'r'))) {
                throw new Failed("binding or nonce mismatch");
            }
            byte[] proof;
            try {
                proof = B64D.decode(message.substring(proofAt + 3));
            } catch (IllegalArgumentException e) {
                throw new Failed("malformed proof");
            }
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            if (proof.length != signature.length) {
                throw new Failed("malformed proof");
            }
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ signature[i]);
            }
            if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) {
                throw new Failed("wrong password");
            }
            return ("v=" + B64.encodeToString(hmac(serverKey, authMessage))).getBytes(StandardCharsets.UTF_8);
        }
    }

    Exchange exchange() {
        return new Exchange();
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    private static byte[] hi(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
