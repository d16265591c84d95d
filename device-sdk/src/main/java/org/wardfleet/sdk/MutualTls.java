package org.wardfleet.sdk;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An {@link SSLContext} that presents the device certificate (software keys) and trusts the given server CA. */
public final class MutualTls {

    private MutualTls() {
    }

    public static SSLContext context(SoftwareKeyStore keys, java.util.List<X509Certificate> chain,
            X509Certificate serverTrust) {
        try {
            char[] password = new char[0];
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("device", keys.privateKey(), password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, password);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), trust(serverTrust).getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot build the mutual TLS context", e);
        }
    }

    /** Trust exactly {@code certificate} (a development server certificate, or a private CA). */
    public static SSLContext trusting(X509Certificate certificate) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust(certificate).getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManagerFactory trust(X509Certificate certificate)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }
}
