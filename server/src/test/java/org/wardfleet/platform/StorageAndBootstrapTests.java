package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wardfleet.support.RunningServer;

/**
 * The README's run mode: embedded storage in an H2 file under wardfleet.data-dir, and the first-start admin whose
 * generated password is printed once. Data and the password survive a restart; the password is never printed again.
 */
@ExtendWith(OutputCaptureExtension.class)
class StorageAndBootstrapTests {

    private static final Pattern PRINTED = Pattern.compile("password: (\\S+)");

    @Test
    void firstStartPrintsTheGeneratedPasswordOnceAndDataSurvivesARestart(@TempDir Path dataDir,
            CapturedOutput output) {
        Map<String, String> settings = Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.data-dir", dataDir.toString(),
                "wardfleet.bootstrap.admin-email", "first@hospital.test");
        String password;
        String createdUserEmail = "kept-across-restart@hospital.test";
        try (RunningServer server = RunningServer.start(settings)) {
            assertThat(output.getOut()).contains("Storage: embedded MongoDB-wire server")
                    .contains("H2 file " + dataDir.toAbsolutePath().normalize());
            Matcher matcher = PRINTED.matcher(output.getOut());
            assertThat(matcher.find()).as("generated password printed").isTrue();
            password = matcher.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(matcher.find()).as("printed exactly once").isFalse();

            String token = token(server, "first@hospital.test", password);
            server.http().post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                    .bodyValue(Map.of("email", createdUserEmail, "displayName", "Kept", "roles", List.of("CLINICIAN"),
                            "password", "survives restarts"))
                    .exchange().expectStatus().isCreated();
        }
        assertThat(Files.exists(dataDir.resolve("wardfleet.mv"))).isTrue();
        int printedBefore = countMatches(output.getOut());

        try (RunningServer server = RunningServer.start(settings)) {
            assertThat(countMatches(output.getOut())).as("never printed again").isEqualTo(printedBefore);
            token(server, "first@hospital.test", password);
            String token = token(server, createdUserEmail, "survives restarts");
            server.http().get().uri("/api/v1/audit/verify").headers(h -> h.setBearerAuth(
                    token(server, "first@hospital.test", password))).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
            assertThat(token).isNotBlank();
        }
        assertThat(output.getOut()).doesNotContain("password=").doesNotContain("\"password\"");
    }

    @Test
    void configuredBootstrapPasswordIsUsedAndNeverPrinted(CapturedOutput output) {
        try (RunningServer server = RunningServer.start(Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-email", "configured@hospital.test",
                "wardfleet.bootstrap.admin-password", "configured-secret-123"))) {
            token(server, "configured@hospital.test", "configured-secret-123");
            assertThat(output.getAll()).doesNotContain("configured-secret-123");
            assertThat(output.getOut()).contains("Storage: embedded MongoDB-wire server").contains("(memory)");
        }
    }

    @Test
    void aLostAdministratorPasswordIsResetAtStartWhenTheOperatorAsksAndTheOldOneStopsWorking(@TempDir Path dataDir,
            CapturedOutput output) {
        Map<String, String> settings = Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.data-dir", dataDir.toString(),
                "wardfleet.bootstrap.admin-email", "forgetful@hospital.test",
                "wardfleet.bootstrap.admin-password", "the password I lost 1");
        try (RunningServer server = RunningServer.start(settings)) {
            token(server, "forgetful@hospital.test", "the password I lost 1");
        }
        Map<String, String> reset = new java.util.HashMap<>(settings);
        reset.remove("wardfleet.bootstrap.admin-password");
        reset.put("wardfleet.bootstrap.reset-admin-password", "forgetful@hospital.test");
        int printedBefore = countMatches(output.getOut());
        String password;
        try (RunningServer server = RunningServer.start(reset)) {
            Matcher matcher = PRINTED.matcher(output.getOut());
            for (int i = 0; i <= printedBefore; i++) {
                assertThat(matcher.find()).as("the new password is printed").isTrue();
            }
            password = matcher.group(1);
            server.http().post().uri("/api/v1/auth/token")
                    .bodyValue(Map.of("email", "forgetful@hospital.test", "password", "the password I lost 1"))
                    .exchange().expectStatus().isUnauthorized();
            String admin = token(server, "forgetful@hospital.test", password);
            server.http().get().uri("/api/v1/audit?action=user.password-reset").headers(h -> h.setBearerAuth(admin))
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.items[0].details.via").isEqualTo("bootstrap.reset-admin-password");
        }
        assertThat(output.getOut()).contains("remove that setting now");
    }

    private static int countMatches(String text) {
        Matcher m = PRINTED.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String token(RunningServer server, String email, String password) {
        Map<?, ?> body = server.http().post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", email, "password", password))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("access_token");
    }
}
