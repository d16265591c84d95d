package org.wardfleet.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.ConsoleForms;
import org.wardfleet.support.RunningServer;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

/** Over real HTTPS, as a hospital runs it: what the console's cookies say, byte for byte. */
class ConsoleCookieTests {

    @Test
    void overHttpsTheSessionCookieIsHttpOnlySecureSameSiteStrictAndScopedToTheConsole(@TempDir Path dir)
            throws Exception {
        Path certs = dir.resolve("certs-dev");
        try (RunningServer server = RunningServer.start(Map.of("wardfleet.tls.dev-dir", certs.toString(),
                "wardfleet.mongodb.embedded", "MEMORY", "wardfleet.bootstrap.admin-email", "it@hospital.test",
                "wardfleet.bootstrap.admin-password", "cookie-test-password-1",
                "wardfleet.attestation.revocation-list-url",
                "classpath:vectors/android-key-attestation/revocation-status-sample.json"))) {
            SslContext trust = SslContextBuilder.forClient().trustManager(certs.resolve("localhost.crt").toFile())
                    .build();
            WebTestClient https = WebTestClient.bindToServer(new ReactorClientHttpConnector(
                    HttpClient.create().secure(ssl -> ssl.sslContext(trust))))
                    .baseUrl("https://localhost:" + server.port()).build();

            EntityExchangeResult<String> form = https.get().uri("/console/signin").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult();
            // attribute names are case-insensitive (RFC 6265 5.2); Netty writes "HTTPOnly"
            assertThat(ConsoleForms.setCookie(form, "wardfleet_console_csrf")).containsIgnoringCase("; HttpOnly")
                    .containsIgnoringCase("; Secure").containsIgnoringCase("; SameSite=Strict")
                    .contains("Path=/console");

            ConsoleForms.Session session = ConsoleForms.signIn(https, "it@hospital.test", "cookie-test-password-1");
            assertThat(session.setCookie()).containsIgnoringCase("; HttpOnly").containsIgnoringCase("; Secure")
                    .containsIgnoringCase("; SameSite=Strict").contains("Path=/console")
                    .doesNotContainIgnoringCase("Max-Age").doesNotContainIgnoringCase("Domain");
            assertThat(session.cookie()).hasSizeGreaterThanOrEqualTo(43);
        }
    }
}
