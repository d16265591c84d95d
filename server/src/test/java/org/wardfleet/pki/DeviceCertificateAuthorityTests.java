package org.wardfleet.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@WardfleetTest
class DeviceCertificateAuthorityTests {

    @Autowired DeviceCertificates certificates;
    @Autowired MongoDatabase db;

    private static String org() {
        return "org-" + UUID.randomUUID();
    }

    private IssuedCertificate issue(String orgId, String csr) {
        return certificates.issue(orgId, "dev-" + UUID.randomUUID(), "COPE", csr).block(Duration.ofSeconds(30));
    }

    private static String slugOf(Throwable e) {
        return ((ProblemException) e).problemType().slug();
    }

    @Test
    void acceptsP256P384AndRsa2048InPemOrBase64Der() throws Exception {
        String orgId = org();
        assertThat(issue(orgId, TestDevice.p256().csrPem()).certificate()).isNotNull();
        assertThat(issue(orgId, TestDevice.ec("secp384r1").csrPem()).certificate()).isNotNull();
        TestDevice rsa = TestDevice.rsa(2048);
        String base64Der = Base64.getMimeEncoder().encodeToString(rsa.csr().getEncoded());
        assertThat(issue(orgId, base64Der).certificate().getPublicKey()).isEqualTo(rsa.keys().getPublic());
    }

    @Test
    void refusesWeakKeysTamperedSignaturesAndGarbage() throws Exception {
        String orgId = org();
        assertThatThrownBy(() -> issue(orgId, TestDevice.rsa(1024).csrPem()))
                .satisfies(e -> assertThat(slugOf(e)).isEqualTo("weak-key"));
        assertThatThrownBy(() -> issue(orgId, TestDevice.ec("secp256k1").csrPem()))
                .satisfies(e -> assertThat(slugOf(e)).isEqualTo("weak-key"));
        assertThatThrownBy(() -> issue(orgId, "certainly not a CSR"))
                .satisfies(e -> assertThat(slugOf(e)).isEqualTo("malformed-csr"));

        // proof of possession: a CSR for one key signed by another
        KeyPair claimed = TestDevice.p256().keys();
        KeyPair signer = TestDevice.p256().keys();
        PKCS10CertificationRequest forged = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"),
                claimed.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        String forgedB64 = Base64.getEncoder().encodeToString(forged.getEncoded());
        assertThatThrownBy(() -> issue(orgId, forgedB64))
                .satisfies(e -> assertThat(slugOf(e)).isEqualTo("csr-signature-invalid"));
    }

    @Test
    void certificateCarriesServerDataClientAuthRevocationPointersAndARandomSerial() throws Exception {
        String orgId = org();
        String deviceId = "dev-" + UUID.randomUUID();
        IssuedCertificate issued = certificates.issue(orgId, deviceId, "BYOD", TestDevice.p256().csrPem()).block();
        X509Certificate cert = issued.certificate();
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + deviceId).contains("OU=BYOD")
                .doesNotContain("Evil");
        assertThat(cert.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1))
                .isEqualTo("urn:wardfleet:device:" + deviceId));
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(cert.getSerialNumber().toString(16)).isEqualTo(issued.serial());
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays())
                .isBetween(364L, 366L);
        String extensions = new String(cert.getExtensionValue(Extension.cRLDistributionPoints.getId()),
                java.nio.charset.StandardCharsets.ISO_8859_1) + new String(cert.getExtensionValue(
                Extension.authorityInfoAccess.getId()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(extensions).contains("/pki/v1/orgs/" + orgId + "/crl").contains("/pki/v1/orgs/" + orgId + "/ocsp");
        cert.verify(issued.chain().get(1).getPublicKey());

        Set<BigInteger> serials = Flux.range(0, 20).flatMap(i -> certificates.issue(orgId, "d" + i, "COPE",
                TestDevice.p256().csrPem())).map(c -> c.certificate().getSerialNumber()).collect(Collectors.toSet())
                .block();
        assertThat(serials).hasSize(20);
    }

    @Test
    void theCaPrivateKeyIsStoredEncrypted() throws Exception {
        String orgId = org();
        issue(orgId, TestDevice.p256().csrPem());
        Document stored = Mono.from(db.getCollection("device_cas").find(Filters.eq("_id", orgId)).first()).block();
        String pem = stored.getString("encryptedKeyPem");
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            PKCS8EncryptedPrivateKeyInfo encrypted = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
            // PBES2 with AES-256-CBC
            assertThat(encrypted.getEncryptionAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.113549.1.5.13");
            assertThat(encrypted.getEncryptionAlgorithm().getParameters().toString()).contains("2.16.840.1.101.3.4.1.42");
            assertThatThrownBy(() -> encrypted.decryptPrivateKeyInfo(
                    new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .build("not the passphrase".toCharArray())))
                    .isInstanceOf(Exception.class);
        }
    }

    @Test
    void instancesRacingToCreateANewOrganisationsCaEndWithOneCa() throws Exception {
        String orgId = org();
        List<IssuedCertificate> issued = Flux.range(0, 8)
                .flatMap(i -> certificates.issue(orgId, "race-" + i, "COPE", TestDevice.p256().csrPem()), 8)
                .collectList().block(Duration.ofSeconds(60));
        X509Certificate ca = certificates.issuingCa(orgId).block();
        for (IssuedCertificate c : issued) {
            c.certificate().verify(ca.getPublicKey());
        }
        assertThat(Mono.from(db.getCollection("device_cas").countDocuments(Filters.eq("_id", orgId))).block())
                .isEqualTo(1L);
    }

    @Test
    void revocationIsSeenAtOnceAndRevokingTwiceKeepsTheFirstReason() {
        String orgId = org();
        IssuedCertificate issued = issue(orgId, TestDevice.p256().csrPem());
        assertThat(certificates.status(orgId, issued.serial()).block()).isEqualTo(DeviceCertificates.Status.GOOD);
        certificates.revoke(orgId, issued.serial(), DeviceCertificates.RevocationReason.KEY_COMPROMISE).block();
        certificates.revoke(orgId, issued.serial(), DeviceCertificates.RevocationReason.SUPERSEDED).block();
        assertThat(certificates.status(orgId, issued.serial()).block()).isEqualTo(DeviceCertificates.Status.REVOKED);
        Document stored = Mono.from(db.getCollection("device_certificates")
                .find(Filters.eq("_id", issued.serial())).first()).block();
        assertThat(stored.getInteger("reason")).isEqualTo(1);
        // another organisation cannot ask about it
        assertThat(certificates.status("other-org", issued.serial()).block())
                .isEqualTo(DeviceCertificates.Status.UNKNOWN);
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
