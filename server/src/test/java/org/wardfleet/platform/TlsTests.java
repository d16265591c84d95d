package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RunningServer;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

/** HTTPS by default with a generated development certificate, which the prod profile refuses. */
class TlsTests {

    @Test
    void firstStartGeneratesADevCertificateForLocalhostAndServesHttpsWithHsts(@TempDir Path dir) throws Exception {
        Path certs = dir.resolve("certs-dev");
        try (RunningServer server = RunningServer.start(Map.of(
                "wardfleet.tls.dev-dir", certs.toString(),
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-password", "tls-test-password-1"))) {
            Path cert = certs.resolve("localhost.crt");
            Path key = certs.resolve("localhost-key.pem");
            assertThat(cert).exists();
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            X509Certificate x509;
            try (InputStream in = Files.newInputStream(cert)) {
                x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            assertThat(x509.getSubjectX500Principal().getName()).contains("Development");

            // trusting exactly the generated certificate proves it is valid for localhost
            SslContext trust = SslContextBuilder.forClient().trustManager(cert.toFile()).build();
            WebTestClient https = WebTestClient.bindToServer(new ReactorClientHttpConnector(
                    HttpClient.create().secure(ssl -> ssl.sslContext(trust))))
                    .baseUrl("https://localhost:" + server.port()).responseTimeout(java.time.Duration.ofMinutes(2)).build();
            https.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueMatches("Strict-Transport-Security", "max-age=31536000.*");
        }
    }

    @Test
    void prodProfileRefusesTheDevelopmentCertificate(@TempDir Path dir) {
        assertThatThrownBy(() -> RunningServer.start(Map.of(
                "wardfleet.tls.dev-dir", dir.resolve("certs-dev").toString(),
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.pki.ca-passphrase", "prod-test-passphrase-1234",
                "wardfleet.bootstrap.admin-password", "tls-test-password-1"), "prod").close())
                .hasStackTraceContaining("prod profile refuses the development certificate");
    }

    @Test
    void prodProfileRefusesToStartWithoutACaPassphrase() {
        // every other prod secret given, so that the missing passphrase is what stops it, whatever the bean order
        assertThatThrownBy(() -> RunningServer.start(Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.data-key", "prod-test-data-key-of-at-least-32-characters",
                "wardfleet.messaging.master-key", "prod-test-messaging-master-key-0123456789",
                "wardfleet.bootstrap.admin-password", "tls-test-password-1"), "prod").close())
                .hasStackTraceContaining("needs a CA passphrase");
    }

    @Test
    void prodProfileRefusesADevCertificateEvenWhenConfiguredExplicitly(@TempDir Path dir) {
        Path certs = dir.resolve("certs-dev");
        // generate one in dev mode first
        RunningServer.start(Map.of("wardfleet.tls.dev-dir", certs.toString(), "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-password", "tls-test-password-1")).close();
        assertThatThrownBy(() -> RunningServer.start(Map.of(
                "wardfleet.tls.certificate", certs.resolve("localhost.crt").toString(),
                "wardfleet.tls.private-key", certs.resolve("localhost-key.pem").toString(),
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.pki.ca-passphrase", "prod-test-passphrase-1234",
                "wardfleet.bootstrap.admin-password", "tls-test-password-1"), "prod").close())
                .hasStackTraceContaining("development certificate");
    }
}
