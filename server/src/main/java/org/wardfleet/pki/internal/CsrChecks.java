package org.wardfleet.pki.internal;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.wardfleet.pki.PkiProblems;

import com.nimbusds.jose.jwk.Curve;

/**
 * Reads a CSR (PEM or base64 DER, as EST sends it), proves the requester holds the private key (the CSR's own
 * signature), and accepts only EC P-256/P-384 or RSA of at least 2048 bits.
 */
final class CsrChecks {

    static final int MAX_CSR_CHARS = 16 * 1024;

    private CsrChecks() {
    }

    record CheckedCsr(PKCS10CertificationRequest csr, PublicKey publicKey) {
    }

    static CheckedCsr check(String text) {
        PKCS10CertificationRequest csr = parse(text);
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).setProvider(Pem.BC).getPublicKey();
        } catch (Exception e) {
            throw PkiProblems.WEAK_KEY.exception("The CSR's public key type is not supported");
        }
        acceptKey(key);
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Pem.BC).build(csr.getSubjectPublicKeyInfo()))) {
                throw PkiProblems.CSR_SIGNATURE_INVALID.exception("The CSR is not signed by its own key");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw PkiProblems.CSR_SIGNATURE_INVALID.exception("The CSR signature cannot be verified");
        }
        return new CheckedCsr(csr, key);
    }

    private static PKCS10CertificationRequest parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_CSR_CHARS) {
            throw PkiProblems.MALFORMED_CSR.exception("A CSR of at most %d characters is required", MAX_CSR_CHARS);
        }
        try {
            if (text.contains("-----BEGIN")) {
                try (PEMParser parser = new PEMParser(new StringReader(text))) {
                    Object object = parser.readObject();
                    if (object instanceof PKCS10CertificationRequest csr) {
                        return csr;
                    }
                    throw PkiProblems.MALFORMED_CSR.exception("The PEM text holds no certificate request");
                }
            }
            return new PKCS10CertificationRequest(Base64.getMimeDecoder().decode(text.strip()));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw PkiProblems.MALFORMED_CSR.exception("The CSR is not valid PEM or base64 DER PKCS#10");
        } catch (RuntimeException e) {
            if (e instanceof org.wardfleet.platform.web.ProblemException problem) {
                throw problem;
            }
            // Bouncy Castle reports broken ASN.1 with assorted runtime exceptions
            throw PkiProblems.MALFORMED_CSR.exception("The CSR is not valid PKCS#10");
        }
    }

    private static void acceptKey(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (Curve.P_256.equals(curve) || Curve.P_384.equals(curve)) {
                return;
            }
            throw PkiProblems.WEAK_KEY.exception("EC keys must use P-256 or P-384");
        }
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() >= 2048) {
                return;
            }
            throw PkiProblems.WEAK_KEY.exception("RSA keys must be at least 2048 bits, this one has %d",
                    rsa.getModulus().bitLength());
        }
        throw PkiProblems.WEAK_KEY.exception("Only EC P-256/P-384 and RSA >= 2048 keys are accepted");
    }
}
