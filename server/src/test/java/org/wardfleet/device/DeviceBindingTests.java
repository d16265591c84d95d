package org.wardfleet.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;

/**
 * An administrator once read a clinician's messages by creating an invitation assigned to that clinician and
 * enrolling a phone with a key of the administrator's own. A device now receives a person's messages only once that
 * person bound it with their own authentication: signing in on it while enrolling, or approving it from a session of
 * theirs. Until then it gets policies, and nothing of theirs.
 */
@WardfleetTest
class DeviceBindingTests {

    static final String NOT_BOUND = "urn:wardfleet:problem:device-not-bound";

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    @SuppressWarnings("unchecked")
    void aDeviceAnAdministratorEnrolledForAClinicianGetsNoneOfTheirMessagesUntilTheClinicianApprovesIt()
            throws Exception {
        TestApi.User admin = api.newOrganisation();
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");

        // the attack: an invitation assigned to the clinician, redeemed with a key the administrator holds
        String secret = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                "assignedUserId", clinician.id())).get("secret");
        TestDevice rogue = TestDevice.p256();
        api.enroll(secret, rogue, "android", Map.of());
        api.deviceCall(rogue, "GET", "/device/v1/policy", null).expectStatus().isOk();
        api.deviceCall(rogue, "POST", "/device/v1/checkin", Map.of()).expectStatus().isOk();

        String conversation = conversation(doctor, clinician);
        Map<?, ?> sent = send(doctor, conversation, "K+ 6.9, repeat bloods now");
        assertThat((List<Object>) sent.get("undeliverable")).as("no device may receive it yet").contains(clinician.id());

        // no message, no message key, no speaking for the clinician
        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + rogue.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.type").isEqualTo(NOT_BOUND);
        api.deviceCall(rogue, "POST", "/device/v1/message-key", null).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo(NOT_BOUND);
        api.deviceCall(rogue, "POST", "/device/v1/messages/" + sent.get("id") + "/receipts",
                Map.of("state", "ACKNOWLEDGED")).expectStatus().isForbidden();
        http.post().uri("/device/v1/conversations/" + conversation + "/messages")
                .header("Authorization", "Device " + rogue.jwt("POST", "/device/v1/conversations/" + conversation
                        + "/messages")).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("text", "ignore that, all fine", "priority", "ROUTINE")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.type").isEqualTo(NOT_BOUND);

        // the administrator cannot approve it for the clinician
        http.post().uri("/api/v1/me/devices/{id}/approve", rogue.deviceId()).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isNotFound();

        // the clinician sees it waiting for approval, and approves it
        http.get().uri("/api/v1/me/devices").headers(h -> h.setBearerAuth(clinician.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(rogue.deviceId())
                .jsonPath("$.items[0].boundToUser").isEqualTo(false);
        api.approve(clinician, rogue.deviceId());
        api.deviceCall(rogue, "POST", "/device/v1/checkin", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.boundToUser").isEqualTo(true);

        String later = (String) send(doctor, conversation, "Bloods back: K+ 4.1").get("id");
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + rogue.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> messages = (List<?>) inbox.get("messages");
        assertThat(messages).hasSize(1);
        JWEObject jwe = JWEObject.parse((String) ((Map<?, ?>) messages.get(0)).get("jwe"));
        jwe.decrypt(new ECDHDecrypter((ECPrivateKey) rogue.keys().getPrivate()));
        assertThat(jwe.getPayload().toJSONObject()).containsEntry("id", later)
                .containsEntry("text", "Bloods back: K+ 4.1");
        api.deviceCall(rogue, "POST", "/device/v1/message-key", null).expectStatus().isCreated();
    }

    @Test
    void signingInWhileEnrollingBindsTheDeviceToThatPersonAndNoOneElse() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");

        String forMe = (String) api.invitation(admin.token(), Map.of("ownership", "BYOD", "platform", "android",
                "assignedUserId", clinician.id())).get("secret");
        TestDevice mine = TestDevice.p256();
        assertThat(api.enroll(forMe, mine, "android", Map.of(), clinician.token()).get("boundToUser")).isEqualTo(true);
        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + mine.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk();

        // the administrator signed in on it instead: refused, and the invitation is still there for the clinician
        String another = (String) api.invitation(admin.token(), Map.of("ownership", "COPE", "platform", "android",
                "assignedUserId", clinician.id())).get("secret");
        enroll(another, "Bearer " + admin.token()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:enrollment-user-mismatch");
        enroll(another, "Bearer not-a-token").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:enrollment-user-token-invalid");
        enroll(another, "Bearer " + clinician.token()).expectStatus().isCreated()
                .expectBody().jsonPath("$.boundToUser").isEqualTo(true);
    }

    private WebTestClient.ResponseSpec enroll(String secret, String authorization) {
        return http.post().uri("/device/v1/enroll").header("Authorization", authorization)
                .bodyValue(Map.of("token", secret, "csr", TestDevice.p256().csrPem(), "platform", "android"))
                .exchange();
    }

    private String conversation(TestApi.User from, TestApi.User with) {
        return (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(from.token()))
                .bodyValue(Map.of("participants", List.of(with.id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private Map<?, ?> send(TestApi.User from, String conversation, String text) {
        return http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(from.token())).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("text", text, "priority", "STAT", "requiresAck", true)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }
}
