package org.wardfleet.sdk;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/** Parsing what the server sends: PEM chains (JSON API) and base64 certs-only PKCS#7 (EST). */
public final class Certificates {

    private Certificates() {
    }

    public static List<X509Certificate> fromPem(String pem) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) c);
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("Not a PEM certificate chain", e);
        }
    }

    /** RFC 7030 4.1.3: a base64 (MIME, line-wrapped) degenerate CMS SignedData holding only certificates. */
    public static List<X509Certificate> fromPkcs7Base64(String base64) {
        try {
            CMSSignedData data = new CMSSignedData(Base64.getMimeDecoder().decode(base64.strip()));
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            List<X509Certificate> certificates = new ArrayList<>();
            for (X509CertificateHolder holder : data.getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
            return certificates;
        } catch (CMSException | CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a base64 certs-only PKCS#7", e);
        }
    }
}
