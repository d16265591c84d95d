package org.wardfleet.sdk;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A PKCS#10 CSR signed through the key store (the server sets the real subject; this one is a placeholder). */
public final class Csr {

    private final PKCS10CertificationRequest request;

    private Csr(PKCS10CertificationRequest request) {
        this.request = request;
    }

    public static Csr of(DeviceKeyStore keys) {
        AlgorithmIdentifier algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
        ContentSigner signer = new ContentSigner() {
            private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream() {
                return data;
            }

            @Override
            public byte[] getSignature() {
                return keys.sign(data.toByteArray());
            }
        };
        return new Csr(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=wardfleet-device"),
                keys.publicKey()).build(signer));
    }

    public PKCS10CertificationRequest request() {
        return request;
    }

    public byte[] der() {
        try {
            return request.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String base64Der() {
        return Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der());
    }

    public String pem() {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
