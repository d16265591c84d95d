package org.wardfleet.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/** A hospital that already runs a CA imports it instead of using the generated one. */
@WardfleetTest
class CaImportTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void anImportedHospitalCaIssuesTheDeviceCertificates() throws Exception {
        TestApi.User admin = api.newOrganisation();
        KeyPair caKeys = TestDevice.rsa(2048).keys();
        X509Certificate ca = certificate(caKeys, true);
        http.post().uri("/api/v1/pki/ca/import").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("certificatePem", pem(ca), "privateKeyPem", pem(caKeys.getPrivate())))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.imported").isEqualTo(true)
                .jsonPath("$.subject").value(String.class, s -> assertThat(s).contains("St Elsewhere"));

        Map<?, ?> invitation = api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android"));
        Map<?, ?> enrolled = api.enroll((String) invitation.get("secret"), TestDevice.p256(), "android", Map.of());
        var chain = org.wardfleet.enrollment.EnrollmentApiTestsAccess.parse((String) enrolled.get("certificateChain"));
        chain.get(0).verify(ca.getPublicKey());

        // now that it has issued certificates, it cannot be swapped out from under the devices
        http.post().uri("/api/v1/pki/ca/import").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("certificatePem", pem(ca), "privateKeyPem", pem(caKeys.getPrivate())))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:ca-in-use");
    }

    @Test
    void aNonCaCertificateOrAForeignKeyIsRefused() throws Exception {
        TestApi.User admin = api.newOrganisation();
        KeyPair keys = TestDevice.p256().keys();
        http.post().uri("/api/v1/pki/ca/import").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("certificatePem", pem(certificate(keys, false)), "privateKeyPem",
                        pem(keys.getPrivate())))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:ca-import-invalid")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("not a CA"));
        http.post().uri("/api/v1/pki/ca/import").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("certificatePem", pem(certificate(keys, true)), "privateKeyPem",
                        pem(TestDevice.p256().keys().getPrivate())))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("does not belong"));
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
        http.post().uri("/api/v1/pki/ca/import").headers(h -> h.setBearerAuth(clinician.token()))
                .bodyValue(Map.of("certificatePem", "x", "privateKeyPem", "y")).exchange()
                .expectStatus().isForbidden();
    }

    static X509Certificate certificate(KeyPair keys, boolean ca) throws Exception {
        X500Name name = new X500Name("CN=St Elsewhere Device CA,O=St Elsewhere Hospital");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400 * 365)), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature));
        String alg = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(alg).build(keys.getPrivate())));
    }

    /** Private keys as PKCS#8 "PRIVATE KEY", as {@code openssl genpkey} writes them. */
    static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate() : object);
        }
        return out.toString();
    }
}
