package org.wardfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** The SDK alone: keys, CSR, device tokens, and its HTTP behaviour against a loopback server. */
class DeviceSdkTests {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void csrIsSignedByTheKeyStoreKey() throws Exception {
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        Csr csr = Csr.of(keys);
        assertThat(csr.request().isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .build(csr.request().getSubjectPublicKeyInfo()))).isTrue();
        assertThat(csr.request().getSubjectPublicKeyInfo().getEncoded()).isEqualTo(keys.publicKey().getEncoded());
        assertThat(csr.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    }

    @Test
    void aSavedKeyLoadsBackWithTheSamePublicKey(@TempDir Path dir) throws Exception {
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        keys.save(dir.resolve("device.p8"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("device.p8")))).isEqualTo("rw-------");
        assertThat(SoftwareKeyStore.load(dir.resolve("device.p8")).publicKey()).isEqualTo(keys.publicKey());
    }

    @Test
    void deviceJwtHasExactlyTheAgreedShapeAndVerifiesWithTheDeviceKey() throws Exception {
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
        DeviceJwt tokens = new DeviceJwt("device-1", "https://wardfleet.example/", keys, clock);
        SignedJWT jwt = SignedJWT.parse(tokens.forRequest("post", "/device/v1/checkin?x=1"));
        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) keys.publicKey()))).isTrue();
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("wf-device+jwt");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("device-1");
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("device-1");
        assertThat(claims.getSubject()).isEqualTo("device-1");
        assertThat(claims.getAudience()).containsExactly("https://wardfleet.example");
        assertThat(claims.getClaim("htm")).isEqualTo("POST");
        assertThat(claims.getClaim("htu")).isEqualTo("https://wardfleet.example/device/v1/checkin");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isLessThanOrEqualTo(300_000);
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(SignedJWT.parse(tokens.forRequest("POST", "/x")).getJWTClaimsSet().getJWTID());
        }
        assertThat(ids).hasSize(20);
    }

    @Test
    void serverProblemsBecomeTypedExceptions() throws Exception {
        serve("/device/v1/enroll", 410, "application/problem+json",
                "{\"type\":\"urn:wardfleet:problem:invitation-expired\",\"title\":\"Invitation expired\","
                        + "\"status\":410,\"detail\":\"ask IT for a new one\"}");
        EnrollmentClient client = new EnrollmentClient(url(), null);
        assertThatThrownBy(() -> client.enroll("wfe_x", SoftwareKeyStore.generate(),
                new EnrollmentClient.DeviceInfo("android", "Pixel", "15", "2026-10-01", "1.0")))
                .isInstanceOfSatisfying(WardfleetProblemException.class, e -> {
                    assertThat(e.is("invitation-expired")).isTrue();
                    assertThat(e.status()).isEqualTo(410);
                    assertThat(e.detail()).isEqualTo("ask IT for a new one");
                });
    }

    @Test
    void eachActionRunsOnceAndIsAcknowledgedWithItsResult() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/device/v1/checkin", exchange -> respond(exchange, 200,
                "{\"deviceId\":\"d1\",\"state\":\"ACTIVE\",\"pendingActions\":[{\"id\":\"a1\",\"type\":\"LOCK\"},"
                        + "{\"id\":\"a2\",\"type\":\"WIPE\"}]}"));
        server.createContext("/device/v1/actions/", exchange -> {
            received.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody()
                    .readAllBytes(), StandardCharsets.UTF_8) + " " + exchange.getRequestHeaders().getFirst(
                    "Authorization").startsWith("Device "));
            respond(exchange, 200, "{\"state\":\"DONE\"}");
        });
        server.start();
        EnrolledDevice device = new EnrolledDevice("d1", List.of(), null, null, SoftwareKeyStore.generate());
        DeviceClient client = DeviceClient.withDeviceJwt(url(), url(), device, null, Clock.systemUTC());
        List<String> executed = new ArrayList<>();
        ActionHandler handler = (id, type) -> {
            executed.add(type);
            if (type.equals("WIPE")) {
                throw new IllegalStateException("user cancelled");
            }
        };
        client.checkInAndAct(new DeviceClient.Inventory("15", null, null, null, null), handler);
        client.checkInAndAct(new DeviceClient.Inventory("15", null, null, null, null), handler);
        assertThat(executed).containsExactly("LOCK", "WIPE");
        assertThat(received).hasSize(4);
        assertThat(received.get(0)).contains("/device/v1/actions/a1/result").contains("\"result\":\"DONE\"")
                .endsWith("true");
        assertThat(received.get(1)).contains("/a2/result").contains("\"result\":\"FAILED\"")
                .contains("user cancelled");
        assertThat(received.get(2)).contains("/a1/result").contains("\"result\":\"DONE\"");
    }

    private void serve(String path, int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Receipts of many pushed messages go in few frames (the stream answers 10 frames a second), each well inside the
     * server's 4,096-character limit; nothing is sent for none, and an id the SDK would have to rewrite is refused.
     */
    @Test
    void pushedMessagesAreConfirmedInFewFramesAndBadIdsAreRefused() {
        java.util.Map<String, String> receipts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 31; i++) {
            receipts.put(java.util.UUID.randomUUID().toString(), "AAAAAAAAAAAAAAAAAAAAAA");
        }
        java.util.List<String> frames = DeviceStream.deliveredFrames(java.util.List.of(
                new DeviceClient.Pushed(java.util.List.of(), receipts)));
        assertThat(frames).hasSize(2)
                .allMatch(f -> f.startsWith("{\"type\":\"delivered\"") && f.length() < 4096);
        assertThat(frames.get(1)).containsOnlyOnce("\"receipt\"");
        assertThat(DeviceStream.deliveredFrames(java.util.List.of())).isEmpty();
        assertThatThrownBy(() -> DeviceStream.deliveredFrames(java.util.List.of(
                new DeviceClient.Pushed(java.util.List.of(), java.util.Map.of("id\",\"x", "AAAA")))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
