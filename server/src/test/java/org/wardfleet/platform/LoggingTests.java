package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wardfleet.support.RunningServer;


/**
 * Operators correlate a complaint with the log by request id; no secrets reach the log. (JSON logs are checked on the
 * packaged jar in {@code PackagedJarIT}: a fresh JVM is needed to switch the log format.)
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingTests {

    @Test
    void logLinesCarryTheRequestIdAndNoCredentials(CapturedOutput output) {
        try (RunningServer server = RunningServer.start(Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-password", "logging-test-password-1"))) {
            server.http().post().uri("/api/v1/auth/token").header("X-Request-Id", "trace-me-123456")
                    .bodyValue(Map.of("email", "someone@hospital.test", "password", "guessed-password-99"))
                    .exchange().expectStatus().isUnauthorized();
        }
        String line = output.getOut().lines().filter(l -> l.contains("Sign-in refused")).findFirst().orElseThrow();
        assertThat(line).contains("[trace-me-123456]");
        assertThat(output.getAll()).doesNotContain("guessed-password-99").doesNotContain("someone@hospital.test");
    }
}
