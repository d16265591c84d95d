package org.wardfleet.pki.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** PEM in and out, including PKCS#8 private keys encrypted with AES-256 (PBES2). */
final class Pem {

    /** PBKDF2 iterations: slow enough to resist guessing, paid once per CA load (the decrypted key is cached). */
    static final int KDF_ITERATIONS = 200_000;

    /** Bouncy Castle as an explicit provider (not registered globally): the JDK lacks PBES2 AES PKCS#8 and OIDs. */
    static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private Pem() {
    }

    static String write(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String encryptedKey(PrivateKey key, char[] passphrase) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setIterationCount(KDF_ITERATIONS).setProvider(BC).setPassword(passphrase).build();
            return write(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot encrypt the CA key", e);
        }
    }

    /** Reads a private key: encrypted PKCS#8 (needs {@code passphrase}), plain PKCS#8 or a traditional key pair. */
    static PrivateKey privateKey(String pem, char[] passphrase) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                if (passphrase == null) {
                    throw new IOException("The private key is encrypted and no passphrase was given");
                }
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase)));
            }
            if (object instanceof PrivateKeyInfo plain) {
                return converter.getPrivateKey(plain);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new IOException("No private key in the PEM text");
        } catch (PKCSException | OperatorCreationException e) {
            throw new IOException("Cannot decrypt the private key (wrong passphrase?)", e);
        } catch (PEMException e) {
            throw new IOException("Unreadable private key", e);
        }
    }

    static List<X509Certificate> certificates(String pem) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("Unreadable certificate", e);
        }
        return certificates;
    }
}
