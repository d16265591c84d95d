package org.wardfleet.attestation.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading certificates: Google's roots file (a JSON array of PEMs), PEM bundles, base64 DER lists. */
final class TrustAnchors {

    private TrustAnchors() {
    }

    static List<PublicKey> googleRootKeys(InputStream json) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (JsonNode pem : JsonMapper.builder().build().readTree(json)) {
            keys.addAll(pem(pem.asString()).stream().map(X509Certificate::getPublicKey).toList());
        }
        return keys;
    }

    static List<X509Certificate> pem(String text) throws IOException {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException("Unreadable certificate: " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> der(List<String> base64) throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (String b64 : base64) {
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
                        Base64.getMimeDecoder().decode(b64))));
            }
            return certs;
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IOException("Unreadable certificate: " + e.getMessage(), e);
        }
    }
}
