package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wardfleet.support.RunningServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Operators correlate a complaint with the log by request id; JSON logs are one setting away; no secrets. */
@ExtendWith(OutputCaptureExtension.class)
class LoggingTests {

    @Test
    void jsonLogLinesCarryTheRequestIdAndNoCredentials(CapturedOutput output) {
        try (RunningServer server = RunningServer.start(Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-password", "logging-test-password-1",
                "logging.structured.format.console", "ecs"))) {
            server.http().post().uri("/api/v1/auth/token").header("X-Request-Id", "trace-me-123456")
                    .bodyValue(Map.of("email", "someone@hospital.test", "password", "guessed-password-99"))
                    .exchange().expectStatus().isUnauthorized();
        }
        String line = output.getOut().lines().filter(l -> l.contains("Sign-in refused")).findFirst().orElseThrow();
        JsonNode json = JsonMapper.builder().build().readTree(line);
        assertThat(json.path("message").asString()).startsWith("Sign-in refused");
        assertThat(line).contains("trace-me-123456");
        assertThat(output.getAll()).doesNotContain("guessed-password-99").doesNotContain("someone@hospital.test");
    }
}
