package org.wardfleet.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.wardfleet.support.CommandLine;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * The OCSP responder as a relying party (a Wi-Fi RADIUS server, a VPN) queries it: {@code openssl ocsp}, exactly as
 * docs/pki.md shows, gets a signed answer it verifies, saying good, revoked or unknown.
 */
@WardfleetTest
class OcspWithOpensslTests {

    @TempDir static Path dir;

    @Autowired DeviceCertificates certificates;
    @LocalServerPort int port;

    @BeforeAll
    static void tools() {
        Assumptions.assumeTrue(CommandLine.onPath("openssl"), "openssl is needed");
    }

    @Test
    void opensslHearsGoodRevokedAndUnknownFromTheResponder() throws Exception {
        String orgId = "org-" + UUID.randomUUID();
        IssuedCertificate good = issue(orgId);
        IssuedCertificate revoked = issue(orgId);
        certificates.revoke(orgId, revoked.serial(), DeviceCertificates.RevocationReason.KEY_COMPROMISE)
                .block(Duration.ofSeconds(30));
        write("ca.pem", good.chain().get(1));
        write("good.pem", good.certificate());
        write("revoked.pem", revoked.certificate());
        String url = "http://127.0.0.1:" + port + "/pki/v1/orgs/" + orgId + "/ocsp";

        assertThat(ocsp(url, "-cert", "good.pem")).contains("good.pem: good").contains("Response verify OK");
        assertThat(ocsp(url, "-cert", "revoked.pem")).contains("revoked.pem: revoked")
                .contains("Reason: keyCompromise").contains("Response verify OK");
        // a serial this CA never issued
        assertThat(ocsp(url, "-serial", "0x1234abcd")).contains("0x1234abcd: unknown").contains("Response verify OK");
        // all three in one request
        assertThat(ocsp(url, "-cert", "good.pem", "-cert", "revoked.pem", "-serial", "0x1234abcd"))
                .contains("good.pem: good").contains("revoked.pem: revoked").contains("0x1234abcd: unknown");
    }

    private static String ocsp(String url, String... which) throws IOException, InterruptedException {
        String[] command = new String[10 + which.length];
        String[] head = {"openssl", "ocsp", "-issuer", "ca.pem", "-url", url, "-CAfile", "ca.pem", "-verify_other",
            "ca.pem"};
        System.arraycopy(head, 0, command, 0, head.length);
        System.arraycopy(which, 0, command, head.length, which.length);
        return CommandLine.run(dir, command);
    }

    private IssuedCertificate issue(String orgId) {
        return certificates.issue(orgId, "dev-" + UUID.randomUUID(), "COPE", TestDevice.p256().csrPem())
                .block(Duration.ofSeconds(30));
    }

    private static void write(String name, X509Certificate certificate) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(certificate);
        }
        Files.writeString(dir.resolve(name), pem.toString());
    }
}
