package org.wardfleet.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.wardfleet.platform.mongo.EmbeddedDatabase;
import org.wardfleet.sdk.PolicyVerifier;
import org.wardfleet.support.RunningServer;
import org.wardfleet.support.TestDevice;


import reactor.core.Disposable;

/**
 * Two Wardfleet instances on one database, as behind a load balancer: a device whose stream is held by instance B
 * hears a change an administrator made on instance A (through {@code device_signals} and B's change stream), and
 * the policy it then fetches from B verifies with the organisation key A published.
 */
class TwoInstancesTests {

    static final String PASSWORD = "two-instances-password-1";

    @Test
    void aDeviceStreamingToOneInstanceHearsAChangeMadeOnTheOther() throws Exception {
        try (RunningServer a = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY", "wardfleet.bootstrap.admin-password", PASSWORD))) {
            String uri = a.bean(EmbeddedDatabase.class).uriWithCredentials();
            try (RunningServer b = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                    "wardfleet.mongodb.uri", uri,
                    "wardfleet.bootstrap.admin-password", PASSWORD))) {
                WebTestClient httpA = a.http();
                WebTestClient httpB = b.http();
                String admin = (String) httpA.post().uri("/api/v1/auth/token")
                        .bodyValue(Map.of("email", "admin@wardfleet.local", "password", PASSWORD)).exchange()
                        .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                        .get("access_token");
                String secret = (String) httpA.post().uri("/api/v1/enrollment/invitations")
                        .headers(h -> h.setBearerAuth(admin)).bodyValue(Map.of("ownership", "COPE", "platform",
                                "android")).exchange().expectStatus().isCreated().expectBody(Map.class)
                        .returnResult().getResponseBody().get("secret");
                TestDevice device = TestDevice.p256();
                String deviceId = (String) httpA.post().uri("/device/v1/enroll").bodyValue(Map.of("token", secret,
                        "csr", device.csrPem(), "platform", "android")).exchange().expectStatus().isCreated()
                        .expectBody(Map.class).returnResult().getResponseBody().get("deviceId");
                device.enrolledAs(deviceId);
                fetch(httpB, device);

                List<String> events = new CopyOnWriteArrayList<>();
                HttpHeaders headers = new HttpHeaders();
                headers.set("Authorization", "Device " + device.jwt("GET", "/device/v1/stream"));
                Disposable stream = new ReactorNettyWebSocketClient().execute(
                        URI.create("ws://127.0.0.1:" + b.port() + "/device/v1/stream"), headers,
                        session -> session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(events::add)
                                .then()).subscribe();
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                            .anyMatch(e -> e.contains("hello")));

                    String policyId = (String) httpA.post().uri("/api/v1/policies")
                            .headers(h -> h.setBearerAuth(admin))
                            .contentType(MediaType.parseMediaType("application/yaml"))
                            .bodyValue("apiVersion: wardfleet.org/policy/v1\nkind: Policy\nname: ward-7\n"
                                    + "settings:\n  checkIn:\n    intervalMinutes: 20\n")
                            .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                            .getResponseBody().get("id");
                    httpA.post().uri("/api/v1/policies/" + policyId + "/publish").headers(h -> h.setBearerAuth(admin))
                            .exchange().expectStatus().isOk();
                    httpA.post().uri("/api/v1/policies/" + policyId + "/assignments")
                            .headers(h -> h.setBearerAuth(admin)).bodyValue(Map.of("deviceId", deviceId)).exchange()
                            .expectStatus().isCreated();

                    await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                            .anyMatch(e -> e.contains("\"sync\"")));
                } finally {
                    stream.dispose();
                }
                String keys = httpA.get().uri("/device/v1/policy/jwks")
                        .header("Authorization", "Device " + device.jwt("GET", "/device/v1/policy/jwks")).exchange()
                        .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
                PolicyVerifier.VerifiedPolicy policy = new PolicyVerifier(deviceId, keys).verify(fetch(httpB, device));
                assertThat(((Map<?, ?>) policy.settings().get("checkIn")).get("intervalMinutes")).isEqualTo(20L);
            }
        }
    }

    private static String fetch(WebTestClient http, TestDevice device) {
        return http.get().uri("/device/v1/policy")
                .header("Authorization", "Device " + device.jwt("GET", "/device/v1/policy")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
