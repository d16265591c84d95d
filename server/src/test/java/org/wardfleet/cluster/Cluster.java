package org.wardfleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.wardfleet.platform.mongo.StorageServer;
import org.wardfleet.support.PackagedServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wardfleet as a hospital would run it, in separate processes on this machine: the embedded database as a process of
 * its own ({@code java -jar wardfleet-server.jar --wardfleet.storage-server.port=…}, H2 file, durable replies, change
 * streams), N Wardfleet instances from the packaged jar pointing at it through {@code wardfleet.mongodb.uri}, and
 * HAProxy in front in TCP mode — TLS passes through, so a device's mutual TLS goes end to end to an instance. HAProxy
 * checks each instance's {@code /actuator/health/readiness} (HTTPS) every 500 ms and takes it out after two failures;
 * a connection to an instance that is down is retried on another ({@code retries}, {@code option redispatch}).
 * <p>
 * The instances share what a deployment shares: one TLS certificate (generated here with openssl), the data key, the
 * CA passphrase and the messaging master key (given on the command line), and one public URL (the balancer's).
 */
final class Cluster implements AutoCloseable {

    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofMinutes(4);
    /** Starting a Wardfleet instance: seconds on an idle machine, minutes on a small shared CI machine. */
    static final Duration START = Duration.ofMinutes(8);

    private final Path root;
    private final String[] extraArgs;
    private final Process database;
    private final Path databaseLog;
    private final String uri;
    private final List<Node> nodes = new ArrayList<>();
    private final int balancerPort;
    private final Path certificate;
    private final Path key;
    private final String secrets = UUID.randomUUID() + "-" + UUID.randomUUID();
    private Process balancer;
    private Path balancerLog;

    /** One Wardfleet instance: its name in HAProxy, its port and its process (replaced on a restart). */
    static final class Node {
        final String name;
        final int port;
        final Path dir;
        volatile PackagedServer server;

        Node(String name, int port, Path dir) {
            this.name = name;
            this.port = port;
            this.dir = dir;
        }
    }

    /** The instances' JVM flags: small heaps and C1 only for tests (start-up dominates); benchmarks give their own. */
    static final List<String> TEST_JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    private final List<String> jvmFlags;

    private Cluster(Path root, int instances, List<String> jvmFlags, String[] extraArgs) throws Exception {
        this.root = root;
        this.jvmFlags = jvmFlags;
        this.extraArgs = extraArgs;
        assertThat(HAPROXY).as("HAProxy (apt-get install haproxy; .ci/run installs it)").isExecutable();
        // the database process
        int dbPort = PackagedServer.freePort();
        String password = UUID.randomUUID().toString();
        databaseLog = root.resolve("database.log");
        ProcessBuilder db = new ProcessBuilder(PackagedServer.currentJava().toString(), "-Xmx512m", "-jar",
                PackagedServer.JAR.toString(), StorageServer.PREFIX + "port=" + dbPort,
                StorageServer.PREFIX + "data-dir=" + root.resolve("db")).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(databaseLog.toFile());
        db.environment().put("WARDFLEET_STORAGE_SERVER_PASSWORD", password);
        database = db.start();
        uri = StorageServer.uri("127.0.0.1", dbPort, password);
        // one certificate for every instance: behind a TLS-passthrough balancer a client cannot tell them apart
        certificate = root.resolve("tls.crt");
        key = root.resolve("tls.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String opensslOut = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(opensslOut).isZero();
        balancerPort = PackagedServer.freePort();
        for (int i = 0; i < instances; i++) {
            Path dir = Files.createDirectories(root.resolve("node-" + (char) ('a' + i)));
            // PackagedServer's HTTPS client trusts certs-dev/localhost.crt of its directory
            Files.createDirectories(dir.resolve("certs-dev"));
            Files.copy(certificate, dir.resolve("certs-dev/localhost.crt"));
            nodes.add(new Node(String.valueOf((char) ('a' + i)), PackagedServer.freePort(), dir));
        }
        waitFor("the database process", Duration.ofMinutes(2),
                () -> log(databaseLog).contains("Storage server ready"), () -> log(databaseLog));
        // the instances start side by side: bootstrap, CA and signing keys are claims in the database
        for (Node node : nodes) {
            start(node);
        }
        for (Node node : nodes) {
            ready(node);
        }
        startBalancer();
    }

    /** Starts the database, {@code instances} Wardfleet instances and HAProxy; returns once all are ready. */
    static Cluster start(Path root, int instances, String... extraArgs) throws Exception {
        return new Cluster(root, instances, TEST_JVM, extraArgs);
    }

    /** Like {@link #start(Path, int, String...)}, the instances with these JVM flags (a benchmark's). */
    static Cluster start(Path root, int instances, List<String> jvmFlags, String... extraArgs) throws Exception {
        return new Cluster(root, instances, jvmFlags, extraArgs);
    }

    private static Cluster shared;

    /**
     * The two-instance cluster the cluster ITs share (one start, not one per test class: starting three JVMs and
     * HAProxy takes a minute of a small CI machine): escalation every 10 s, twice, for a STAT page, and a 250 ms
     * engine tick, so that a page's whole escalation fits in a test. Each test leaves both instances running and
     * ready; the cluster is stopped when the test JVM ends. Each test makes its own people and phones.
     */
    static synchronized Cluster shared() throws Exception {
        if (shared == null) {
            // under target/ (absolute: the processes run in directories of their own), and kept: the instances', the
            // database's and HAProxy's logs of a failed run stay to be read
            Path root = Files.createTempDirectory(Files.createDirectories(
                    Path.of("target", "cluster").toAbsolutePath()), "run-");
            System.out.printf("cluster: run directory %s (logs kept)%n", root);
            shared = start(root, 2, "--wardfleet.oncall.defaults.stat-step=10s",
                    "--wardfleet.oncall.defaults.stat-repeat=2", "--wardfleet.oncall.tick=250ms");
            Cluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                    // the logs stay; the database files go (they are the bulk)
                    org.springframework.util.FileSystemUtils.deleteRecursively(root.resolve("db"));
                } catch (Exception e) {
                    System.err.println("cluster: " + e);
                }
            }));
        }
        // a test that failed midway may have left an instance down (FailoverIT kills one): bring it back, so that one
        // failure is reported once, not again by every test after it
        for (Node node : shared.nodes) {
            if (!node.server.process().isAlive()) {
                System.out.printf("cluster: instance %s was left down by the previous test; starting it again%n",
                        node.name);
                shared.start(node);
                shared.ready(node);
                shared.awaitBalancer(node, true);
            }
        }
        return shared;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The balancer's base URL (what phones and clients use). */
    String url() {
        return "https://localhost:" + balancerPort;
    }

    X509Certificate serverCertificate() throws Exception {
        try (InputStream in = Files.newInputStream(certificate)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An HTTP/1.1 client trusting the instances' certificate (a new TLS connection per kept-alive pool). */
    HttpClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("server", serverCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** A request through the balancer. */
    HttpResponse<String> send(HttpClient http, String method, String path, String token, String json,
            Map<String, String> headers) throws IOException, InterruptedException {
        return send(http, url(), method, path, token, json, headers);
    }

    /** A request straight to one instance (bypassing the balancer). */
    HttpResponse<String> send(HttpClient http, Node node, String method, String path, String token)
            throws IOException, InterruptedException {
        return send(http, "https://localhost:" + node.port, method, path, token, null, Map.of());
    }

    private static HttpResponse<String> send(HttpClient http, String base, String method, String path, String token,
            String json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    String adminToken(HttpClient http) throws Exception {
        return json(send(http, "POST", "/api/v1/auth/token", null, "{\"email\":\"" + PackagedServer.ADMIN
                + "\",\"password\":\"" + PackagedServer.PASSWORD + "\"}", Map.of()), 200).path("access_token")
                .asString();
    }

    /** Starts (or restarts) an instance's process; {@link #ready} waits for it. */
    void start(Node node) throws IOException {
        List<String> args = new ArrayList<>(List.of("--wardfleet.mongodb.uri=" + uri,
                "--wardfleet.public-url=" + url(),
                "--wardfleet.tls.certificate=" + certificate, "--wardfleet.tls.private-key=" + key,
                "--wardfleet.data-key=" + secrets, "--wardfleet.pki.ca-passphrase=" + secrets,
                "--wardfleet.messaging.master-key=" + secrets,
                // a stable name, as docs/deployment.md asks: a restarted instance resumes its change streams
                "--wardfleet.signals.instance=wardfleet-" + node.name,
                // leave the balancer first (it checks every 500 ms, two failures), then hand streams over
                "--wardfleet.shutdown.drain-delay=5s", "--wardfleet.shutdown.stream-handover=3s"));
        args.addAll(List.of(extraArgs));
        node.server = PackagedServer.start(PackagedServer.currentJava(), node.dir, node.port, jvmFlags,
                args.toArray(String[]::new));
    }

    /** Waits until the instance's readiness answers 200 (bounded generously: instances start side by side). */
    void ready(Node node) throws Exception {
        HttpClient http = client();
        PackagedServer server = node.server;
        waitFor(node.name + " ready", START, () -> {
            try {
                return send(http, node, "GET", "/actuator/health/readiness", null).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, () -> (server.process().isAlive() ? "" : "process ended; ") + "log:\n" + server.logText());
    }

    /** SIGKILL, as the OOM killer or a power cut would. */
    void kill(Node node) throws InterruptedException {
        node.server.kill();
    }

    /** SIGTERM: graceful shutdown (readiness down, drain, stream handover, requests in flight finish). */
    void stop(Node node) throws Exception {
        node.server.close();
    }

    /** Waits until HAProxy sees the instance as up (or down), from its stats socket. */
    void awaitBalancer(Node node, boolean up) throws Exception {
        waitFor("HAProxy to see " + node.name + (up ? " up" : " down"), WAIT, () -> {
            String status = stat(node.name);
            return up ? status.startsWith("UP") : status.startsWith("DOWN") || status.startsWith("MAINT")
                    || status.startsWith("NOLB");
        }, () -> "status " + stat(node.name) + "; balancer log:\n" + log(balancerLog));
    }

    /** The node's status in HAProxy ({@code UP}, {@code DOWN}, {@code UP 1/2}, …), from its stats socket. */
    String stat(String name) {
        try (java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(root.resolve("haproxy.sock")))) {
            socket.write(java.nio.ByteBuffer.wrap("show stat\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8192);
            while (socket.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            for (String line : out.toString(java.nio.charset.StandardCharsets.US_ASCII).lines().toList()) {
                String[] f = line.split(",", -1);
                if (f.length > 17 && f[0].equals("instances") && f[1].equals(name)) {
                    return f[17];
                }
            }
            return "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private void startBalancer() throws Exception {
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 4096
                    stats socket %s mode 600 level admin
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 1h
                    timeout server 1h
                    timeout tunnel 1h
                    retries 3
                    option redispatch 1
                    default-server inter 500ms fall 2 rise 2
                frontend wardfleet
                    bind 127.0.0.1:%d
                    default_backend instances
                backend instances
                    balance leastconn
                    option httpchk
                    http-check send meth GET uri /actuator/health/readiness ver HTTP/1.1 hdr Host localhost
                    http-check expect status 200
                """.formatted(root.resolve("haproxy.sock"), balancerPort));
        for (Node node : nodes) {
            config.append("    server ").append(node.name).append(" 127.0.0.1:").append(node.port)
                    .append(" check check-ssl verify none\n");
        }
        Path file = root.resolve("haproxy.cfg");
        Files.writeString(file, config);
        balancerLog = root.resolve("haproxy.log");
        balancer = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(balancerLog.toFile()).start();
        for (Node node : nodes) {
            awaitBalancer(node, true);
        }
    }

    String config() throws IOException {
        return Files.readString(root.resolve("haproxy.cfg"));
    }

    static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Polls {@code condition} every 200 ms until it holds, for at most {@code bound}. */
    static void waitFor(String what, Duration bound, BooleanSupplier condition,
            java.util.function.Supplier<String> context) throws InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Waited " + bound.toSeconds() + " s for " + what + ": " + context.get());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    @Override
    public void close() throws Exception {
        if (balancer != null) {
            balancer.destroy();
            balancer.waitFor(30, TimeUnit.SECONDS);
        }
        for (Node node : nodes) {
            if (node.server != null && node.server.process().isAlive()) {
                node.server.process().destroy();
            }
        }
        for (Node node : nodes) {
            if (node.server != null && !node.server.process().waitFor(60, TimeUnit.SECONDS)) {
                node.server.process().destroyForcibly().waitFor();
            }
        }
        database.destroy();
        if (!database.waitFor(60, TimeUnit.SECONDS)) {
            database.destroyForcibly().waitFor();
        }
    }
}
