package org.wardfleet.platform.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets any client certificate through the TLS handshake so the application can decide: device CAs are per
 * organisation and created at run time, so no static trust store can list them. The handshake still proves the
 * client holds the certificate's private key; the device feature then checks issuer, key, serial and revocation on
 * every request, and a request with no or an unknown certificate gets no device identity.
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {

    static final ClientCertificateTrust INSTANCE = new ClientCertificateTrust();

    private ClientCertificateTrust() {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        requireChain(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("Server certificates are not checked by this trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("Server certificates are not checked by this trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("Server certificates are not checked by this trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // an empty list tells clients that any issuer is acceptable (RFC 8446 4.3.2 certificate_authorities absent)
        return new X509Certificate[0];
    }

    private static void requireChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("Empty client certificate chain");
        }
    }
}
