package org.wardfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar exactly as the README says ({@code java -jar server/target/wardfleet-server.jar}, from the
 * repository root, embedded storage, dev certificate), so the run command cannot silently break. Then runs the same
 * jar on JDK 25 over the same data directory.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of(System.getProperty("wardfleet.jar", "target/wardfleet-server.jar"))
            .toAbsolutePath();
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void theReadmeRunCommandServesHttpsAndKeepsDataAcrossARestartOnJdk25(@TempDir Path root) throws Exception {
        assertThat(JAR).exists();
        String javaHome = System.getProperty("java.home");
        int port = freePort();
        try (Server server = Server.start(Path.of(javaHome, "bin", "java"), root, port,
                "-Dlogging.structured.format.console=ecs")) {
            HttpClient https = server.https();
            assertThat(server.readiness(https)).contains("\"status\":\"UP\"");
            assertThat(server.signIn(https)).contains("\"token_type\":\"Bearer\"");
            server.failedSignIn(https, "json-log-request-1");
            // JSON logs (one setting): each line is a JSON object, and the request id is in it
            String refused = server.logText().lines().filter(l -> l.contains("Sign-in refused")).findFirst()
                    .orElseThrow();
            assertThat(tools.jackson.databind.json.JsonMapper.builder().build().readTree(refused)
                    .path("message").asString()).startsWith("Sign-in refused");
            assertThat(refused).contains("json-log-request-1");
            assertThat(server.logText()).doesNotContain("wrong-password-xyz").doesNotContain("packaged-jar-password-1");
        }
        assertThat(root.resolve("data/wardfleet.mv")).exists();
        assertThat(root.resolve("certs-dev/localhost.crt")).exists();

        Assumptions.assumeTrue(Files.isExecutable(JDK25), "JDK 25 not installed here");
        try (Server server = Server.start(JDK25, root, freePort(), "--enable-native-access=ALL-UNNAMED")) {
            HttpClient https = server.https();
            assertThat(server.readiness(https)).contains("\"status\":\"UP\"");
            // same admin, same password: the H2 file survived and JDK 25 reads it
            assertThat(server.signIn(https)).contains("access_token");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Server(Process process, Path root, int port, Path log) implements AutoCloseable {

        static Server start(Path java, Path root, int port, String... jvmFlags) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(List.of(jvmFlags));
            command.addAll(List.of("-jar", JAR.toString(), "--server.port=" + port));
            Path log = Files.createTempFile(root, "server-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("WARDFLEET_BOOTSTRAP_ADMIN_EMAIL", "it-admin@hospital.test");
            builder.environment().put("WARDFLEET_BOOTSTRAP_ADMIN_PASSWORD", "packaged-jar-password-1");
            return new Server(builder.start(), root, port, log);
        }

        HttpClient https() throws Exception {
            Path cert = root.resolve("certs-dev/localhost.crt");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (!Files.exists(cert) && Instant.now().isBefore(deadline) && process.isAlive()) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(cert).as("dev certificate generated; server log:%n%s", logText()).exists();
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("dev", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        }

        String readiness(HttpClient https) throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (Instant.now().isBefore(deadline) && process.isAlive()) {
                try {
                    HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + "/actuator/health/readiness")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return response.body();
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            throw new AssertionError("server never became ready; log:\n" + logText());
        }

        String signIn(HttpClient https) throws Exception {
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + "/api/v1/auth/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"it-admin@hospital.test\",\"password\":\"packaged-jar-password-1\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }

        void failedSignIn(HttpClient https, String requestId) throws Exception {
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + "/api/v1/auth/token"))
                    .header("Content-Type", "application/json").header("X-Request-Id", requestId)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"it-admin@hospital.test\",\"password\":\"wrong-password-xyz\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
        }

        String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: graceful shutdown flushes the H2 file
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("server did not shut down within 30 s; log:\n" + logText());
            }
        }
    }
}
