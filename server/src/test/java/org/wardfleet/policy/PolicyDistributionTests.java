package org.wardfleet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.wardfleet.sdk.PolicyVerifier;
import org.wardfleet.support.FcmStub;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Publishing reaches devices: a connected device hears it on its stream, an unconnected one gets an FCM data-only
 * wake-up (the real Firebase Admin SDK against a loopback FCM), a dead token is dropped; devices fetch a signed
 * policy that the SDK verifies, report per setting, and the rollout counts follow what devices did.
 */
@WardfleetTest
@Import(FcmStub.Transport.class)
class PolicyDistributionTests {

    static final FcmStub FCM = FcmStub.start();
    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @DynamicPropertySource
    static void fcm(DynamicPropertyRegistry registry) throws Exception {
        FCM.register(registry);
    }

    @AfterAll
    static void stop() {
        FCM.close();
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @LocalServerPort int port;

    @Test
    void publishWakesConnectedDevicesOnTheStreamAndOthersByFcmAndTheRolloutFollowsTheDevices() throws Exception {
        TestApi.User admin = api.newOrganisation();
        // the baselines are installed (and fanned out to nobody) before any device exists
        http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk();
        TestDevice connected = api.enrolledDevice(admin.token(), "COPE", null);
        TestDevice sleeping = api.enrolledDevice(admin.token(), "COPE", null);
        TestDevice uninstalled = api.enrolledDevice(admin.token(), "COPE", null);
        TestDevice silent = api.enrolledDevice(admin.token(), "COPE", null);
        checkIn(sleeping, "tok-" + sleeping.deviceId());
        checkIn(uninstalled, "dead-" + uninstalled.deviceId());
        checkIn(silent, "busy-" + silent.deviceId());
        for (TestDevice d : List.of(connected, sleeping, uninstalled, silent)) {
            fetch(d); // each has its baseline; nothing to tell them until something changes
        }
        int sentBefore = FCM.messages().size();
        List<String> events = new CopyOnWriteArrayList<>();
        Disposable stream = openStream(connected, events);
        await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(e -> e.contains("hello")));

        String policyId = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(YAML).bodyValue("""
                        apiVersion: wardfleet.org/policy/v1
                        kind: Policy
                        name: stricter-passcodes
                        settings:
                          passcode:
                            minLength: 10
                        """).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.post().uri("/api/v1/policies/" + policyId + "/publish").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        http.post().uri("/api/v1/policies/" + policyId + "/assignments").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("ownership", "COPE", "priority", 5)).exchange().expectStatus().isCreated();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(events).anyMatch(e -> e.contains("\"type\":\"sync\"") && e.contains("\"reason\":\"policy\""));
            // the stream, an FCM wake-up, and one retried after UNAVAILABLE; the dead token reaches nobody
            assertThat(counts(admin, policyId)).containsEntry("notified", 3).containsEntry("pending", 1);
        });
        stream.dispose();

        // FCM saw exactly what the wire format promises: data only, no content, high priority, a collapse key
        assertThat(sentBefore).as("nothing changed for these devices before the assignment").isZero();
        List<JsonNode> toSleeping = FCM.messagesTo("tok-" + sleeping.deviceId());
        assertThat(toSleeping).hasSize(1);
        JsonNode message = toSleeping.get(0).path("message");
        assertThat(message.has("notification")).isFalse();
        assertThat(message.path("data").path("type").asString()).isEqualTo("sync");
        assertThat(message.path("data").path("reason").asString()).isEqualTo("policy");
        assertThat(message.path("data").properties()).hasSize(2);
        assertThat(message.path("android").path("priority").asString()).isEqualTo("high");
        assertThat(message.path("android").path("collapse_key").asString()).isEqualTo("wf-sync");
        assertThat(message.path("apns").path("headers").path("apns-push-type").asString()).isEqualTo("background");
        assertThat(message.path("apns").path("payload").path("aps").path("content-available").asInt()).isEqualTo(1);
        assertThat(FCM.authorizations()).allMatch("Bearer stub-access-token"::equals);
        assertThat(FCM.messagesTo("tok-" + connected.deviceId())).isEmpty();
        // UNAVAILABLE was retried and then accepted; UNREGISTERED removed the dead token from the device
        assertThat(FCM.messagesTo("busy-" + silent.deviceId())).hasSize(2);
        Document stored = Mono.from(db.getCollection("devices").find(Filters.eq("_id", uninstalled.deviceId()))
                .first()).block();
        assertThat(stored.getList("pushTokens", String.class)).isEmpty();

        // the device fetches, verifies and applies; the rollout moves with what devices report, not with pushes
        PolicyVerifier verifier = new PolicyVerifier(connected.deviceId(), jwks(connected));
        PolicyVerifier.VerifiedPolicy applied = verifier.verify(fetch(connected));
        assertThat(((Map<?, ?>) applied.settings().get("passcode")).get("minLength")).isEqualTo(10L);
        report(connected, applied.version(), "APPLIED", null);
        PolicyVerifier sleepingVerifier = new PolicyVerifier(sleeping.deviceId(), jwks(sleeping));
        PolicyVerifier.VerifiedPolicy failed = sleepingVerifier.verify(fetch(sleeping));
        report(sleeping, failed.version(), "FAILED", "device admin refused a 10-character passcode");
        fetch(silent);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(counts(admin, policyId))
                .containsEntry("applied", 1).containsEntry("failed", 1).containsEntry("fetched", 1)
                .containsEntry("pending", 1));
        http.get().uri("/api/v1/policies/" + policyId + "/rollout").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectBody()
                .jsonPath("$.devices").isEqualTo(4)
                .jsonPath("$.failures[0].deviceId").isEqualTo(sleeping.deviceId())
                .jsonPath("$.failures[0].setting").isEqualTo("passcode.minLength")
                .jsonPath("$.failures[0].reason").isEqualTo("device admin refused a 10-character passcode");
    }

    @Test
    void theSdkRefusesTamperedUnsignedOtherDevicesAndOlderPolicies() throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", null);
        TestDevice other = api.enrolledDevice(admin.token(), "COPE", null);
        String keys = jwks(phone);
        PolicyVerifier verifier = new PolicyVerifier(phone.deviceId(), keys);

        String older = fetch(phone);
        String[] parts = older.split("\\.");
        String loosened = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"minLength\":8",
                "\"minLength\":4");
        assertThat(loosened).contains("\"minLength\":4");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(loosened.getBytes())
                + "." + parts[2];
        assertRejected(verifier, tampered, "bad-signature");
        String unsigned = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"wf-policy+jwt\"}".getBytes()) + "." + parts[1] + ".";
        assertRejected(verifier, unsigned, "unsigned");
        assertRejected(verifier, fetch(other), "other-device");
        // a policy from another organisation, signed by its key, is refused too
        TestApi.User otherAdmin = api.newOrganisation();
        TestDevice stranger = api.enrolledDevice(otherAdmin.token(), "COPE", null);
        assertRejected(new PolicyVerifier(stranger.deviceId(), keys), fetch(stranger), "unknown-key");

        // a newer policy is applied; the older one replayed afterwards is refused
        String policyId = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token()))
                .contentType(YAML).bodyValue("apiVersion: wardfleet.org/policy/v1\nkind: Policy\nname: newer\n"
                        + "settings:\n  checkIn:\n    intervalMinutes: 15\n").exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.post().uri("/api/v1/policies/" + policyId + "/publish").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        http.post().uri("/api/v1/policies/" + policyId + "/assignments").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("deviceId", phone.deviceId())).exchange().expectStatus().isCreated();
        PolicyVerifier.VerifiedPolicy newer = verifier.verify(fetch(phone));
        assertThat(((Map<?, ?>) newer.settings().get("checkIn")).get("intervalMinutes")).isEqualTo(15L);
        assertRejected(verifier, older, "older");
    }

    @Test
    void anUnchangedPolicyIsNotSentAgainAndAStatusReportNamesRealSettings() {
        TestApi.User admin = api.newOrganisation();
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", null);
        String etag = api.deviceCall(phone, "GET", "/device/v1/policy", null).expectStatus().isOk()
                .expectHeader().contentType("application/jose")
                .returnResult(String.class).getResponseHeaders().getETag();
        String jwt = phone.jwt("GET", "/device/v1/policy");
        http.get().uri("/device/v1/policy").header("Authorization", "Device " + jwt)
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
        api.deviceCall(phone, "POST", "/device/v1/policy/status", Map.of("version", "x", "results",
                List.of(Map.of("setting", "passcode.colour", "status", "APPLIED")))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:validation-failed");
    }

    @Test
    void aPageWakesASleepingPhoneWithoutAWordOfItsContent() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        checkIn(phone, "tok-page-" + phone.deviceId());
        String conversation = (String) http.post().uri("/api/v1/conversations")
                .headers(h -> h.setBearerAuth(doctor.token())).bodyValue(Map.of("participants", List.of(nurse.id())))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(doctor.token())).header("Idempotency-Key", "page-1")
                .bodyValue(Map.of("text", "Mr Smith bed 7 hypotensive", "priority", "STAT", "requiresAck", true,
                        "patientRef", "MRN-12345"))
                .exchange().expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(60)).until(() -> FCM.messagesTo("tok-page-" + phone.deviceId()).stream()
                .anyMatch(m -> "message".equals(m.path("message").path("data").path("reason").asString())));
        JsonNode message = FCM.messagesTo("tok-page-" + phone.deviceId()).stream()
                .filter(m -> "message".equals(m.path("message").path("data").path("reason").asString()))
                .findFirst().orElseThrow().path("message");
        assertThat(message.path("android").path("priority").asString()).isEqualTo("high");
        assertThat(message.path("android").has("collapse_key")).as("a STAT page is never collapsed").isFalse();
        assertThat(message.has("notification")).isFalse();
        assertThat(message.toString()).doesNotContain("Smith").doesNotContain("hypotensive")
                .doesNotContain("MRN-12345").doesNotContain(doctor.email());
    }

    private static void assertRejected(PolicyVerifier verifier, String jws, String reason) {
        assertThatThrownBy(() -> verifier.verify(jws)).isInstanceOfSatisfying(
                PolicyVerifier.PolicyRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> counts(TestApi.User admin, String policyId) {
        return (Map<String, Object>) http.get().uri("/api/v1/policies/" + policyId + "/rollout")
                .headers(h -> h.setBearerAuth(admin.token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("counts");
    }

    private void checkIn(TestDevice device, String pushToken) {
        api.deviceCall(device, "POST", "/device/v1/checkin", Map.of("pushToken", pushToken)).expectStatus().isOk();
    }

    private String fetch(TestDevice device) {
        return api.deviceCall(device, "GET", "/device/v1/policy", null).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private String jwks(TestDevice device) {
        return api.deviceCall(device, "GET", "/device/v1/policy/jwks", null).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private void report(TestDevice device, String version, String status, String reason) {
        Map<String, Object> result = new java.util.HashMap<>(Map.of("setting", "passcode.minLength", "status", status));
        if (reason != null) {
            result.put("reason", reason);
        }
        api.deviceCall(device, "POST", "/device/v1/policy/status", Map.of("version", version, "results",
                List.of(result))).expectStatus().isAccepted();
    }

    private Disposable openStream(TestDevice device, List<String> events) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Authorization", "Device " + device.jwt("GET", "/device/v1/stream"));
        return new ReactorNettyWebSocketClient().execute(URI.create("ws://127.0.0.1:" + port + "/device/v1/stream"),
                headers, session -> session.receive().map(WebSocketMessage::getPayloadAsText)
                        .doOnNext(events::add).then()).subscribe();
    }
}
