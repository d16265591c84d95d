package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RunningServer;

/**
 * The embedded database's backup and restore as docs/operations.md and docs/deployment.md describe them: stop the
 * server, copy its data directory (the H2 file and the generated secrets beside it); after a loss (here: the
 * directory wiped), copy the backup back and start. The restored server holds everything written before the backup
 * and nothing after, its administrator signs in, and the audit chain verifies whole.
 */
class BackupAndRestoreTests {

    static final String EMAIL = "admin@backup.test";
    static final String PASSWORD = "backup-test-password-1";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // three server starts on an H2 file, a copy and a wipe
    void aBackedUpDataDirectoryRestoresAfterAWipeAndItsAuditChainVerifies() throws Exception {
        Path data = Path.of("target", "test-data", "backup-" + UUID.randomUUID());
        Path backup = Path.of("target", "test-data", "backup-copy-" + UUID.randomUUID());
        String before;
        long entriesAtBackup;
        try (RunningServer server = start(data)) {
            String admin = token(server.http());
            before = createUser(server.http(), admin, "before-backup");
            entriesAtBackup = verify(server.http(), admin).entries();
        }
        copy(data, backup); // the backup: the server is stopped, so the copy is one consistent state

        String after;
        try (RunningServer server = start(data)) {
            after = createUser(server.http(), token(server.http()), "after-backup");
        }

        wipe(data); // the loss
        copy(backup, data); // the restore

        try (RunningServer server = start(data)) {
            WebTestClient http = server.http();
            String admin = token(http);
            Verification restored = verify(http, admin);
            assertThat(restored.valid()).isTrue();
            // what the backup held (plus this sign-in), nothing written after it
            assertThat(restored.entries()).isEqualTo(entriesAtBackup + 1);
            assertThat(users(http, admin)).contains(before).doesNotContain(after);
        } finally {
            wipe(data);
            wipe(backup);
        }
    }

    record Verification(boolean valid, long entries) {
    }

    private static RunningServer start(Path data) {
        return RunningServer.start(Map.of("wardfleet.tls.enabled", "false", "wardfleet.data-dir", data.toString(),
                "wardfleet.bootstrap.admin-email", EMAIL, "wardfleet.bootstrap.admin-password", PASSWORD));
    }

    private static String token(WebTestClient http) {
        return (String) http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", EMAIL, "password", PASSWORD))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("access_token");
    }

    private static String createUser(WebTestClient http, String admin, String name) {
        String email = name + "-" + UUID.randomUUID() + "@backup.test";
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("email", email, "displayName", name, "roles", List.of("CLINICIAN"),
                        "password", "pw-" + UUID.randomUUID()))
                .exchange().expectStatus().isCreated();
        return email;
    }

    private static Verification verify(WebTestClient http, String admin) {
        Map<?, ?> body = http.get().uri("/api/v1/audit/verify").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return new Verification((Boolean) body.get("valid"), ((Number) body.get("entries")).longValue());
    }

    /** The organisation's users as the API lists them (JSON text). */
    private static String users(WebTestClient http, String admin) {
        return http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void wipe(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
