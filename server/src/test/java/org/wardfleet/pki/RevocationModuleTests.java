package org.wardfleet.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestDevice;

/**
 * The PKI module without enrollment, policy, messaging or on-call: what a Wi-Fi or VPN gateway relies on when it
 * checks a phone's certificate — a revoked certificate is REVOKED at once and listed in the organisation's CRL, which
 * the organisation's CA signed; a certificate still in use is not listed. PKI injects no platform bean itself, so
 * the platform is named, with {@code device} for the {@code DeviceAuthenticator} the platform's security chain needs
 * (and identity and events, which device needs: extra modules come without their own dependencies).
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = {"platform", "device", "pki", "identity", "events"},
        webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT2M")
@ActiveProfiles("test")
class RevocationModuleTests {

    @Autowired DeviceCertificates certificates;
    @Autowired WebTestClient http;
    @Autowired ApplicationContext context;

    @Test
    void bootsWithoutEnrollmentPolicyOrMessaging() {
        assertThat(context.getBeanNamesForType(DeviceCertificates.class)).isNotEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.enrollment.Invitations.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.policy.Policies.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.messaging.Paging.class)).isEmpty();
    }

    @Test
    void aRevokedCertificateIsRevokedAtOnceAndListedInTheSignedCrl() throws Exception {
        String org = "org-" + UUID.randomUUID();
        IssuedCertificate lost = certificates.issue(org, "phone-lost", "COPE", TestDevice.p256().csrPem()).block();
        IssuedCertificate kept = certificates.issue(org, "phone-kept", "COPE", TestDevice.p256().csrPem()).block();

        certificates.revoke(org, lost.serial(), DeviceCertificates.RevocationReason.KEY_COMPROMISE).block();

        assertThat(certificates.status(org, lost.serial()).block()).isEqualTo(DeviceCertificates.Status.REVOKED);
        assertThat(certificates.status(org, kept.serial()).block()).isEqualTo(DeviceCertificates.Status.GOOD);

        byte[] der = http.get().uri("/pki/v1/orgs/{org}/crl", org).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("application/pkix-crl")
                .expectBody(byte[].class).returnResult().getResponseBody();
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(der));
        crl.verify(certificates.issuingCa(org).block().getPublicKey());
        assertThat(crl.getRevokedCertificate(new BigInteger(lost.serial(), 16))).isNotNull();
        assertThat(crl.getRevokedCertificate(new BigInteger(kept.serial(), 16))).isNull();
    }
}
