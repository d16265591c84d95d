package org.wardfleet.enrollment.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Ownership;
import org.wardfleet.pki.DeviceCertificates;
import org.wardfleet.pki.IssuedCertificate;

import reactor.core.publisher.Mono;

/** Enrollment's view of the device CA: issue, supersede, and the encodings EST and the JSON API answer with. */
@Component
class CertificateIssuance {

    private final DeviceCertificates certificates;

    CertificateIssuance(DeviceCertificates certificates) {
        this.certificates = certificates;
    }

    /** An issued certificate: {@code chain} is leaf first; {@code publicKey} is base64 SubjectPublicKeyInfo. */
    record Issued(String serial, Instant notAfter, String publicKey, List<X509Certificate> chain) {
    }

    Mono<Issued> issue(String orgId, String deviceId, Ownership ownership, String csr) {
        return certificates.issue(orgId, deviceId, ownership.name(), csr).map(CertificateIssuance::issued);
    }

    /** Issued but not yet recorded (its status is unknown, so it authenticates nothing until {@link #record}). */
    Mono<Issued> sign(String orgId, String deviceId, Ownership ownership, String csr) {
        return certificates.sign(orgId, deviceId, ownership.name(), csr).map(CertificateIssuance::issued);
    }

    Mono<Void> record(String orgId, String deviceId, Issued issued) {
        return certificates.record(orgId, deviceId, new IssuedCertificate(issued.serial(), issued.chain().get(0),
                issued.chain()));
    }

    private static Issued issued(IssuedCertificate c) {
        return new Issued(c.serial(), c.certificate().getNotAfter().toInstant(),
                java.util.Base64.getEncoder().encodeToString(c.certificate().getPublicKey().getEncoded()), c.chain());
    }

    /** The previous certificate after a renewal: revoked as superseded, so only the new one authenticates. */
    Mono<Void> supersede(String orgId, String serial) {
        return certificates.revoke(orgId, serial, DeviceCertificates.RevocationReason.SUPERSEDED);
    }

    Mono<List<X509Certificate>> caChain(String orgId) {
        return certificates.caChain(orgId);
    }

    static String pem(List<X509Certificate> chain) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate cert : chain) {
                writer.writeObject(cert);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A certs-only CMS SignedData (RFC 7030 4.1.3 "degenerate" PKCS#7), DER. */
    static byte[] certsOnly(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSAbsentContent()).getEncoded();
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("Cannot encode certificates as PKCS#7", e);
        }
    }
}
