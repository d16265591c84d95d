package org.wardfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardfleet.support.PackagedServer;

/**
 * Runs the packaged jar exactly as the README says ({@code java -jar server/target/wardfleet-server.jar}, from the
 * repository root, embedded storage, dev certificate), so the run command cannot silently break. Then runs the same
 * jar on JDK 25 over the same data directory.
 */
class PackagedJarIT {

    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void theReadmeRunCommandServesHttpsAndKeepsDataAcrossARestartOnJdk25(@TempDir Path root) throws Exception {
        assertThat(PackagedServer.JAR).exists();
        try (PackagedServer server = PackagedServer.start(PackagedServer.currentJava(), root,
                PackagedServer.freePort(), List.of("-Dlogging.structured.format.console=ecs"))) {
            HttpClient https = server.https();
            assertThat(server.readiness(https)).contains("\"status\":\"UP\"");
            assertThat(signIn(server, https, PackagedServer.PASSWORD, null).body())
                    .contains("\"token_type\":\"Bearer\"");
            assertThat(signIn(server, https, "wrong-password-xyz", "json-log-request-1").statusCode())
                    .isEqualTo(401);
            // JSON logs (one setting): each line is a JSON object, and the request id is in it
            String refused = server.logText().lines().filter(l -> l.contains("Sign-in refused")).findFirst()
                    .orElseThrow();
            assertThat(tools.jackson.databind.json.JsonMapper.builder().build().readTree(refused)
                    .path("message").asString()).startsWith("Sign-in refused");
            assertThat(refused).contains("json-log-request-1");
            assertThat(server.logText()).doesNotContain("wrong-password-xyz")
                    .doesNotContain(PackagedServer.PASSWORD);
        }
        assertThat(root.resolve("data/wardfleet.mv")).exists();
        assertThat(root.resolve("certs-dev/localhost.crt")).exists();

        Assumptions.assumeTrue(Files.isExecutable(JDK25), "JDK 25 not installed here");
        try (PackagedServer server = PackagedServer.start(JDK25, root, PackagedServer.freePort(),
                List.of("--enable-native-access=ALL-UNNAMED"))) {
            HttpClient https = server.https();
            assertThat(server.readiness(https)).contains("\"status\":\"UP\"");
            // same admin, same password: the H2 file survived and JDK 25 reads it
            assertThat(signIn(server, https, PackagedServer.PASSWORD, null).body()).contains("access_token");
        }
    }

    private static HttpResponse<String> signIn(PackagedServer server, HttpClient https, String password,
            String requestId) throws Exception {
        return server.send(https, "POST", "/api/v1/auth/token", null,
                "{\"email\":\"" + PackagedServer.ADMIN + "\",\"password\":\"" + password + "\"}",
                requestId == null ? Map.of() : Map.of("X-Request-Id", requestId));
    }
}
