package org.wardfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RunningServer;

import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.client.HttpClient;

/**
 * The device SDK against a running HTTPS server whose public URL is its real address: enroll (API and EST),
 * check in with device JWTs and with mutual TLS, execute an action, renew, and be refused once retired.
 */
class DeviceSdkEndToEndTests {

    @TempDir static Path dir;
    static RunningServer server;
    static String base;
    static SSLContext trustServer;
    static WebTestClient https;
    static String admin;

    static final EnrollmentClient.DeviceInfo PIXEL =
            new EnrollmentClient.DeviceInfo("android", "Pixel 8", "15", "2026-10-05", "1.0.0");

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "https://localhost:" + port;
        Path certs = dir.resolve("certs-dev");
        server = RunningServer.start(Map.of(
                "server.port", String.valueOf(port),
                "wardfleet.public-url", base,
                "wardfleet.tls.dev-dir", certs.toString(),
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-email", "sdk-admin@hospital.test",
                "wardfleet.bootstrap.admin-password", "sdk-admin-password-1"));
        X509Certificate serverCert;
        try (InputStream in = Files.newInputStream(certs.resolve("localhost.crt"))) {
            serverCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        trustServer = MutualTls.trusting(serverCert);
        var nettyTrust = SslContextBuilder.forClient().trustManager(serverCert).build();
        https = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()
                .secure(ssl -> ssl.sslContext(nettyTrust)))).baseUrl(base).responseTimeout(java.time.Duration.ofMinutes(2)).build();
        admin = (String) https.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", "sdk-admin@hospital.test", "password", "sdk-admin-password-1"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("access_token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<?, ?> invitation() {
        return https.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("ownership", "COPE", "platform", "android")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static void act(String deviceId, String type) {
        https.post().uri("/api/v1/devices/{id}/actions", deviceId).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("type", type)).exchange().expectStatus().isAccepted();
    }

    @Test
    void enrollCheckInActRenewAndRetireWithDeviceJwts() throws Exception {
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        EnrolledDevice device = new EnrollmentClient(base, trustServer)
                .enroll((String) invitation().get("secret"), keys, PIXEL);
        assertThat(device.certificate().getPublicKey()).isEqualTo(keys.publicKey());
        assertThat(device.endpoints()).containsKey("checkin");

        DeviceClient client = DeviceClient.withDeviceJwt(base, base, device, trustServer, Clock.systemUTC());
        assertThat(client.checkIn(new DeviceClient.Inventory("15", "2026-10-05", "1.0.0", "Pixel 8", "tok"))
                .state()).isEqualTo("ACTIVE");

        // the app's regular duties through the SDK: signed policy, posture report, stream
        PolicyVerifier.VerifiedPolicy policy = new PolicyVerifier(device.deviceId(), client.policyKeys())
                .verify(client.fetchPolicy());
        assertThat(((Map<?, ?>) policy.settings().get("passcode")).get("required")).isEqualTo(true);
        assertThat(client.reportPolicy(policy.version(), List.of(new DeviceClient.SettingResult("passcode.required",
                "APPLIED", null)))).isTrue();
        Map<String, Object> posture = new java.util.HashMap<>(Map.of("nonce", client.attestationChallenge(),
                "osVersion", "15", "securityPatchLevel", java.time.LocalDate.now().minusDays(10).toString(),
                "encrypted", true, "passcodeSet", true, "passcodeQuality", "complex", "rooted", false,
                "installedManagedApps", List.of("org.wardfleet.messaging")));
        DeviceClient.ComplianceResult verdict = client.reportPosture(keys, posture, null);
        // the COPE baseline wants hardware evidence, which a software key cannot give
        assertThat(verdict.state()).isEqualTo("NON_COMPLIANT");
        assertThat(verdict.reasonCodes()).containsExactly("ATTESTATION_MISSING");
        assertThat(verdict.evidenceStrength()).isEqualTo("SELF_REPORTED");
        List<String> events = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = client.openStream(events::add)) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> events.stream().anyMatch(e -> e.contains("hello")));
        }

        act(device.deviceId(), "LOCK");
        List<String> locked = new CopyOnWriteArrayList<>();
        client.checkInAndAct(new DeviceClient.Inventory("15", null, null, null, null),
                (id, type) -> locked.add(type));
        assertThat(locked).containsExactly("LOCK");
        https.get().uri("/api/v1/devices/{id}", device.deviceId()).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectBody().jsonPath("$.actions[?(@.type == 'LOCK' && @.state == 'DONE')]").exists();

        SoftwareKeyStore renewedKeys = SoftwareKeyStore.generate();
        List<X509Certificate> renewed = client.renew(renewedKeys);
        assertThat(renewed.get(0).getPublicKey()).isEqualTo(renewedKeys.publicKey());
        // the old key no longer authenticates; the new one does
        assertThatThrownBy(() -> client.checkIn(new DeviceClient.Inventory("15", null, null, null, null)))
                .isInstanceOf(WardfleetProblemException.class);
        DeviceClient renewedClient = DeviceClient.withDeviceJwt(base, base, new EnrolledDevice(device.deviceId(),
                renewed, device.endpoints(), null, renewedKeys), trustServer, Clock.systemUTC());
        renewedClient.checkIn(new DeviceClient.Inventory("15", null, null, null, null));

        act(device.deviceId(), "RETIRE");
        assertThatThrownBy(() -> renewedClient.checkIn(new DeviceClient.Inventory("15", null, null, null, null)))
                .isInstanceOfSatisfying(WardfleetProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(WardfleetProblemException.DEVICE_RETIRED));
    }

    @Test
    void estEnrollmentAndMutualTlsWithTheSdk() {
        SoftwareKeyStore keys = SoftwareKeyStore.generate();
        Map<?, ?> invitation = invitation();
        EnrollmentClient enrollment = new EnrollmentClient(base, trustServer);
        EnrolledDevice device = enrollment.estEnroll((String) invitation.get("id"), (String) invitation.get("secret"),
                keys);
        assertThat(device.certificateChain()).hasSize(2);
        assertThat(enrollment.caCertificates().get(0)).isEqualTo(device.certificateChain().get(1));

        SSLContext mtls = MutualTls.context(keys, device.certificateChain(),
                (X509Certificate) trustedServerCertificate());
        DeviceClient client = DeviceClient.withMutualTls(base, mtls);
        assertThat(client.checkIn(new DeviceClient.Inventory("14", null, null, null, null)).deviceId())
                .isEqualTo(device.deviceId());

        act(device.deviceId(), "RETIRE");
        assertThatThrownBy(() -> client.checkIn(new DeviceClient.Inventory("14", null, null, null, null)))
                .isInstanceOfSatisfying(WardfleetProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    private static Object trustedServerCertificate() {
        try (InputStream in = Files.newInputStream(dir.resolve("certs-dev/localhost.crt"))) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
