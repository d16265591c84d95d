package org.wardfleet.support;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The packaged jar run as the README says ({@code java -jar server/target/wardfleet-server.jar}, from a directory of
 * its own: embedded H2 storage in {@code data/}, dev certificate in {@code certs-dev/}), in a process of its own that a
 * test can stop gracefully (SIGTERM) or kill (SIGKILL), and an HTTPS client that trusts its dev certificate.
 */
public record PackagedServer(Process process, Path root, int port, Path log) implements AutoCloseable {

    public static final Path JAR = Path.of(System.getProperty("wardfleet.jar", "target/wardfleet-server.jar"))
            .toAbsolutePath();
    public static final String ADMIN = "it-admin@hospital.test";
    public static final String PASSWORD = "packaged-jar-password-1";
    private static final Duration START = Duration.ofSeconds(180);

    public static PackagedServer start(Path java, Path root, int port, List<String> jvmFlags, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString(), "--server.port=" + port));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(root, "server-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WARDFLEET_BOOTSTRAP_ADMIN_EMAIL", ADMIN);
        builder.environment().put("WARDFLEET_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        return new PackagedServer(builder.start(), root, port, log);
    }

    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String url(String path) {
        return "https://localhost:" + port + path;
    }

    public HttpClient https() throws Exception {
        Path cert = root.resolve("certs-dev/localhost.crt");
        Instant deadline = Instant.now().plus(START);
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
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** Waits (bounded) until readiness answers 200 and returns its body. */
    public String readiness(HttpClient https) throws Exception {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                        URI.create(url("/actuator/health/readiness"))).timeout(Duration.ofSeconds(30)).build(),
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

    public HttpResponse<String> send(HttpClient https, String method, String path, String token, String json,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofMinutes(2))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook, no flush, as a power cut or the OOM killer would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: graceful shutdown
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("server did not shut down within 60 s; log:\n" + logText());
        }
    }
}
