package org.wardfleet.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.CommandLine;
import org.wardfleet.support.RunningServer;

import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

/**
 * What docs/enrollment.md tells an administrator to type: openssl makes the key and CSR, curl speaks EST, the
 * certificate then authenticates the device by mutual TLS; renewal uses the current certificate; after RETIRE the
 * certificate is refused and reported revoked by OCSP and the CRL (checked with openssl itself).
 */
class EstWithOpensslAndCurlTests {

    @TempDir static Path dir;

    @BeforeAll
    static void tools() {
        Assumptions.assumeTrue(CommandLine.onPath("openssl") && CommandLine.onPath("curl"), "openssl and curl are needed");
    }

    @Test
    void standardClientsEnrollRenewAuthenticateAndSeeRevocation() throws Exception {
        Path certs = dir.resolve("certs-dev");
        try (RunningServer server = RunningServer.start(Map.of(
                "wardfleet.tls.dev-dir", certs.toString(),
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-email", "est-admin@hospital.test",
                "wardfleet.bootstrap.admin-password", "est-admin-password-1"))) {
            int port = server.port();
            server.bean(org.wardfleet.platform.web.PublicUrl.class); // context is up
            String base = "https://localhost:" + port;
            String trust = certs.resolve("localhost.crt").toString();
            var trustDev = SslContextBuilder.forClient().trustManager(certs.resolve("localhost.crt").toFile()).build();
            WebTestClient https = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()
                    .secure(ssl -> ssl.sslContext(trustDev)))).baseUrl(base).responseTimeout(java.time.Duration.ofMinutes(2)).build();
            String admin = (String) https.post().uri("/api/v1/auth/token")
                    .bodyValue(Map.of("email", "est-admin@hospital.test", "password", "est-admin-password-1"))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                    .get("access_token");
            Map<?, ?> invitation = https.post().uri("/api/v1/enrollment/invitations")
                    .headers(h -> h.setBearerAuth(admin))
                    .bodyValue(Map.of("ownership", "COPE", "platform", "android")).exchange()
                    .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();

            // the CA certificates
            run("curl", "-sf", "--cacert", trust, base + "/.well-known/est/cacerts", "-o", "cacerts.p7.b64");
            run("sh", "-c", "openssl base64 -d -in cacerts.p7.b64 | openssl pkcs7 -inform DER -print_certs"
                    + " -out ca.pem");

            // enroll: key and CSR by openssl, HTTP Basic with the invitation id and secret
            run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "device.key", "-subj", "/CN=whatever", "-outform", "DER", "-out", "device.csr");
            run("sh", "-c", "openssl base64 -in device.csr > device.csr.b64");
            run("curl", "-sf", "--cacert", trust, "-u", invitation.get("id") + ":" + invitation.get("secret"),
                    "-H", "Content-Type: application/pkcs10", "--data-binary", "@device.csr.b64",
                    base + "/.well-known/est/simpleenroll", "-o", "device.p7.b64");
            run("sh", "-c", "openssl base64 -d -in device.p7.b64 | openssl pkcs7 -inform DER -print_certs"
                    + " -out device.pem");
            assertThat(run("openssl", "verify", "-CAfile", "ca.pem", "device.pem")).contains("device.pem: OK");
            String text = run("openssl", "x509", "-in", "device.pem", "-noout", "-text");
            assertThat(text).contains("urn:wardfleet:device:").contains("TLS Web Client Authentication")
                    .doesNotContain("CN=whatever").doesNotContain("CN = whatever");

            // the certificate authenticates the device by mutual TLS
            assertThat(checkIn(trust, base, "device.pem", "device.key")).isEqualTo("200");

            // renewal with the current certificate; the old one stops working
            run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "renewed.key", "-subj", "/CN=renewal", "-outform", "DER", "-out", "renewed.csr");
            run("sh", "-c", "openssl base64 -in renewed.csr > renewed.csr.b64");
            run("curl", "-sf", "--cacert", trust, "--cert", "device.pem", "--key", "device.key",
                    "-H", "Content-Type: application/pkcs10", "--data-binary", "@renewed.csr.b64",
                    base + "/.well-known/est/simplereenroll", "-o", "renewed.p7.b64");
            run("sh", "-c", "openssl base64 -d -in renewed.p7.b64 | openssl pkcs7 -inform DER -print_certs"
                    + " -out renewed.pem");
            assertThat(checkIn(trust, base, "renewed.pem", "renewed.key")).isEqualTo("200");
            assertThat(checkIn(trust, base, "device.pem", "device.key")).isEqualTo("401");

            // RETIRE: refused at once, and revoked per OCSP and CRL
            String deviceId = run("sh", "-c", "openssl x509 -in renewed.pem -noout -ext subjectAltName"
                    + " | grep -o 'urn:wardfleet:device:[0-9a-f-]*' | cut -d: -f4").trim();
            https.post().uri("/api/v1/devices/{id}/actions", deviceId).headers(h -> h.setBearerAuth(admin))
                    .bodyValue(Map.of("type", "RETIRE")).exchange().expectStatus().isAccepted();
            assertThat(checkIn(trust, base, "renewed.pem", "renewed.key")).isEqualTo("401");

            String ocspUrl = run("openssl", "x509", "-in", "renewed.pem", "-noout", "-ocsp_uri").trim();
            assertThat(ocspUrl).contains("/ocsp");
            String orgPath = ocspUrl.substring(ocspUrl.indexOf("/pki/"));
            String ocsp = run("openssl", "ocsp", "-issuer", "ca.pem", "-cert", "renewed.pem", "-url",
                    base + orgPath, "-CAfile", "ca.pem", "-verify_other", "ca.pem", "-resp_text");
            assertThat(ocsp).contains("renewed.pem: revoked");
            run("curl", "-sf", "--cacert", trust, base + orgPath.replace("/ocsp", "/crl"), "-o", "devices.crl");
            String crl = run("openssl", "crl", "-inform", "DER", "-in", "devices.crl", "-CAfile", "ca.pem",
                    "-noout", "-text");
            String serial = run("openssl", "x509", "-in", "renewed.pem", "-noout", "-serial").trim()
                    .replace("serial=", "");
            assertThat(crl.toUpperCase()).contains(serial.toUpperCase());
        }
    }

    private static String checkIn(String trust, String base, String cert, String key) throws Exception {
        return run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", trust, "--cert", cert,
                "--key", key, "-H", "Content-Type: application/json", "-d", "{\"osVersion\":\"14\"}",
                base + "/device/v1/checkin").trim();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        return CommandLine.run(dir, command);
    }
}
