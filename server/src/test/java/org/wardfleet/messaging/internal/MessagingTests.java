package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.jwk.OctetSequenceKey;

import reactor.core.publisher.Mono;

/** Two clinicians' devices page each other end to end; what must not be delivered is not. */
@WardfleetTest
class MessagingTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @Autowired RetentionSweep retention;
    @Autowired Clock clock;

    record Person(TestApi.User user, TestDevice device) {
    }

    @Test
    void aStatPageIsDeliveredReadAndAcknowledgedAndTheSenderSeesEachStep() throws Exception {
        TestApi.User admin = api.newOrganisation();
        Person doctor = person(admin);
        Person nurse = person(admin);
        String conversation = conversation(doctor, nurse);

        String key = UUID.randomUUID().toString();
        Map<?, ?> sent = send(doctor, conversation, key, "Bed 4 sats 84%, please review now", "STAT", true, 201);
        String id = (String) sent.get("id");
        assertThat(sent.get("recipients").toString()).contains(nurse.user().id()).contains("SENT");
        assertThat((List<?>) sent.get("undeliverable")).isEmpty();
        // a retried POST (same Idempotency-Key) returns the same message and pages nobody twice
        assertThat(send(doctor, conversation, key, "Bed 4 sats 84%, please review now", "STAT", true, 201).get("id"))
                .isEqualTo(id);

        Map<?, ?> inbox = inbox(nurse, "0");
        List<?> messages = (List<?>) inbox.get("messages");
        assertThat(messages).hasSize(1);
        Map<String, Object> content = decrypt(nurse, (String) ((Map<?, ?>) messages.get(0)).get("jwe"));
        assertThat(content).containsEntry("id", id).containsEntry("text", "Bed 4 sats 84%, please review now")
                .containsEntry("priority", "STAT").containsEntry("requiresAck", true);
        assertThat(state(doctor, id, nurse)).isEqualTo("DELIVERED");
        // reconnecting with the cursor fetches nothing twice
        assertThat((List<?>) inbox(nurse, (String) inbox.get("cursor")).get("messages")).isEmpty();

        receipt(nurse, id, "READ", null, 200);
        assertThat(state(doctor, id, nurse)).isEqualTo("READ");
        receipt(nurse, id, "ACKNOWLEDGED", null, 200);
        assertThat(state(doctor, id, nurse)).isEqualTo("ACKNOWLEDGED");
        receipt(nurse, id, "READ", null, 409); // no going back

        // two-way: the nurse answers in the same conversation
        Map<?, ?> reply = send(nurse, conversation, UUID.randomUUID().toString(), "On my way", "URGENT", false, 201);
        Map<?, ?> doctorInbox = inbox(doctor, "0");
        assertThat(decrypt(doctor, (String) ((Map<?, ?>) ((List<?>) doctorInbox.get("messages")).get(0)).get("jwe")))
                .containsEntry("text", "On my way").containsEntry("id", reply.get("id"));

        // the text is encrypted at rest and never in the audit log
        Document stored = Mono.from(db.getCollection("messages").find(Filters.eq("_id", id)).first()).block();
        assertThat(stored.getString("body")).doesNotContain("sats");
        assertThat(http.get().uri("/api/v1/audit?size=200").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).contains("message.acknowledged")
                .doesNotContain("sats");
    }

    /**
     * A device that asked for a message key gets every message under it (A256KW, no key agreement per message), can
     * replace it (the next message uses the new key, which the old one cannot open), and a device without one still
     * gets ECDH-ES to its enrolled key. The key travels only encrypted to the device and is sealed at rest.
     */
    @Test
    void aDeviceWithAMessageKeyGetsMessagesUnderItAndCanReplaceIt() throws Exception {
        TestApi.User admin = api.newOrganisation();
        Person doctor = person(admin);
        Person nurse = person(admin);
        String conversation = conversation(doctor, nurse);
        http.post().uri("/device/v1/message-key").exchange().expectStatus().isUnauthorized();

        OctetSequenceKey first = messageKey(nurse);
        String id = (String) send(doctor, conversation, UUID.randomUUID().toString(), "Bed 4 sats 84%", "STAT", true,
                201).get("id");
        Map<?, ?> inbox = inbox(nurse, "0");
        JWEObject jwe = JWEObject.parse((String) ((Map<?, ?>) ((List<?>) inbox.get("messages")).get(0)).get("jwe"));
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.A256KW);
        assertThat(jwe.getHeader().getKeyID()).isEqualTo(first.getKeyID());
        jwe.decrypt(new AESDecrypter(first.toSecretKey("AES")));
        assertThat(jwe.getPayload().toJSONObject()).containsEntry("id", id).containsEntry("text", "Bed 4 sats 84%");
        assertThat(state(doctor, id, nurse)).isEqualTo("DELIVERED");

        // the doctor's device never asked: the reply reaches it by ECDH-ES as before
        send(nurse, conversation, UUID.randomUUID().toString(), "Coming", "URGENT", false, 201);
        String toDoctor = (String) ((Map<?, ?>) ((List<?>) inbox(doctor, "0").get("messages")).get(0)).get("jwe");
        assertThat(JWEObject.parse(toDoctor).getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
        assertThat(decrypt(doctor, toDoctor)).containsEntry("text", "Coming");

        // a new key is not used until the device confirms it has it (its answer may never have arrived)
        OctetSequenceKey second = issuedKey(nurse);
        assertThat(second.getKeyID()).isNotEqualTo(first.getKeyID());
        send(doctor, conversation, UUID.randomUUID().toString(), "Also bed 9", "URGENT", false, 201);
        Map<?, ?> unconfirmed = inbox(nurse, (String) inbox.get("cursor"));
        assertThat(JWEObject.parse((String) ((Map<?, ?>) ((List<?>) unconfirmed.get("messages")).get(0)).get("jwe"))
                .getHeader().getKeyID()).isEqualTo(first.getKeyID());
        // confirmed: replaced, the next message is under the new key only (confirming again changes nothing)
        confirm(nurse, second.getKeyID());
        confirm(nurse, second.getKeyID());
        api.deviceCall(nurse.device(), "POST", "/device/v1/message-key/confirm", Map.of("kid", first.getKeyID()))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:message-key-unknown");
        send(doctor, conversation, UUID.randomUUID().toString(), "Also bed 9", "URGENT", false, 201);
        JWEObject next = JWEObject.parse((String) ((Map<?, ?>) ((List<?>) inbox(nurse, (String) unconfirmed
                .get("cursor")).get("messages")).get(0)).get("jwe"));
        assertThat(next.getHeader().getKeyID()).isEqualTo(second.getKeyID());
        JWEObject copy = JWEObject.parse(next.serialize());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> copy.decrypt(new AESDecrypter(first.toSecretKey(
                "AES")))).isInstanceOf(com.nimbusds.jose.JOSEException.class);
        next.decrypt(new AESDecrypter(second.toSecretKey("AES")));
        assertThat(next.getPayload().toJSONObject()).containsEntry("text", "Also bed 9");

        // at rest: sealed, never the key itself
        Document stored = Mono.from(db.getCollection("device_message_keys").find(Filters.eq("_id",
                nurse.device().deviceId())).first()).block();
        assertThat(stored.getString("kid")).isEqualTo(second.getKeyID());
        assertThat(stored.toJson()).doesNotContain(second.getKeyValue().toString())
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(second.toByteArray()));
    }

    private OctetSequenceKey messageKey(Person who) throws Exception {
        OctetSequenceKey key = issuedKey(who);
        confirm(who, key.getKeyID());
        return key;
    }

    private void confirm(Person who, String kid) {
        api.deviceCall(who.device(), "POST", "/device/v1/message-key/confirm", Map.of("kid", kid)).expectStatus()
                .isOk().expectBody().jsonPath("$.kid").isEqualTo(kid).jsonPath("$.state").isEqualTo("ACTIVE");
    }

    /** Issued, not yet confirmed. */
    private OctetSequenceKey issuedKey(Person who) throws Exception {
        Map<?, ?> issued = api.deviceCall(who.device(), "POST", "/device/v1/message-key", null).expectStatus()
                .isCreated().expectBody(Map.class).returnResult().getResponseBody();
        JWEObject wrapped = JWEObject.parse((String) issued.get("jwe"));
        assertThat(wrapped.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
        OctetSequenceKey key = OctetSequenceKey.parse(decrypt(who, (String) issued.get("jwe")));
        assertThat(key.getKeyID()).isEqualTo(issued.get("kid"));
        assertThat(key.size()).isEqualTo(256);
        return key;
    }

    @Test
    void aDesktopSessionHearsOfPagesAndReceiptsLiveAndCanAcknowledge() throws Exception {
        TestApi.User admin = api.newOrganisation();
        Person doctor = person(admin);
        TestApi.User consultant = api.createUser(admin.token(), "CLINICIAN"); // at a desk, no phone
        String conversation = (String) http.post().uri("/api/v1/conversations")
                .headers(h -> h.setBearerAuth(doctor.user().token()))
                .bodyValue(Map.of("participants", List.of(consultant.id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        List<String> consultantFeed = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> doctorFeed = new java.util.concurrent.CopyOnWriteArrayList<>();
        var a = sse(consultant.token(), consultantFeed);
        var b = sse(doctor.user().token(), doctorFeed);
        try {
            // both streams are open (their first comment arrived) before the message is sent
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> consultantFeed.contains(OPEN) && doctorFeed.contains(OPEN));
            String id = (String) send(doctor, conversation, UUID.randomUUID().toString(), "Can you see bed 3?",
                    "URGENT", true, 201).get("id");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> consultantFeed.stream().anyMatch(e -> e.contains(id)));
            http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(consultant.token())).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.text").isEqualTo("Can you see bed 3?");
            assertThat(state(doctor, id, new Person(consultant, null))).isEqualTo("DELIVERED");
            http.post().uri("/api/v1/messages/" + id + "/receipts").headers(h -> h.setBearerAuth(consultant.token()))
                    .bodyValue(Map.of("state", "DECLINED", "reason", "in theatre")).exchange().expectStatus().isOk();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> doctorFeed.stream().anyMatch(e -> e.contains("receipt") && e.contains(id)));
            http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(doctor.user().token())).exchange()
                    .expectBody().jsonPath("$.recipients[0].state").isEqualTo("DECLINED")
                    .jsonPath("$.recipients[0].reason").isEqualTo("in theatre");
        } finally {
            a.dispose();
            b.dispose();
        }
    }

    private static final String OPEN = "(stream open)";

    private reactor.core.Disposable sse(String token, List<String> into) {
        return http.get().uri("/api/v1/messages/stream").headers(h -> h.setBearerAuth(token))
                .accept(org.springframework.http.MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<
                        org.springframework.http.codec.ServerSentEvent<Map<String, Object>>>() {
                }).getResponseBody().filter(e -> e.event() != null || "connected".equals(e.comment()))
                .subscribe(e -> into.add(e.event() == null ? OPEN : e.event() + " " + e.data()));
    }

    @Test
    void aRoleNamesTheUsersAConversationReaches() {
        TestApi.User admin = api.newOrganisation();
        Person doctor = person(admin);
        Person registrarA = person(admin);
        Person registrarB = person(admin);
        http.post().uri("/api/v1/messaging/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "medical-registrars", "members", List.of(registrarA.user().id(),
                        registrarB.user().id()))).exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/messaging/roles").headers(h -> h.setBearerAuth(doctor.user().token()))
                .bodyValue(Map.of("name", "my-friends", "members", List.of(doctor.user().id()))).exchange()
                .expectStatus().isForbidden();
        String conversation = (String) http.post().uri("/api/v1/conversations")
                .headers(h -> h.setBearerAuth(doctor.user().token()))
                .bodyValue(Map.of("participants", List.of("role:medical-registrars"))).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        Map<?, ?> sent = send(doctor, conversation, UUID.randomUUID().toString(), "Ward 7 needs a registrar", "URGENT",
                true, 201);
        assertThat(sent.get("recipients").toString()).contains(registrarA.user().id())
                .contains(registrarB.user().id());
        assertThat((List<?>) inbox(registrarB, "0").get("messages")).hasSize(1);
        http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(doctor.user().token()))
                .bodyValue(Map.of("participants", List.of("role:nobody"))).exchange().expectStatus().isBadRequest();
    }

    @Test
    void aNonCompliantDeviceGetsNothingAndTheSenderIsToldAtOnce() {
        TestApi.User admin = api.newOrganisation();
        Person doctor = person(admin);
        Person rooted = person(admin);
        String nonce = (String) api.deviceCall(rooted.device(), "POST", "/device/v1/attestation/challenge", null)
                .expectBody(Map.class).returnResult().getResponseBody().get("nonce");
        Map<String, Object> report = new HashMap<>(Map.of("nonce", nonce, "rooted", true, "osVersion", "15",
                "securityPatchLevel", LocalDate.now(ZoneOffset.UTC).toString()));
        api.deviceCall(rooted.device(), "POST", "/device/v1/attestation", Map.of("report",
                rooted.device().signReport(report))).expectStatus().isOk();

        Map<?, ?> sent = send(doctor, conversation(doctor, rooted), UUID.randomUUID().toString(), "Call me", "URGENT",
                false, 201);
        assertThat(sent.get("undeliverable")).isEqualTo(List.of(rooted.user().id()));
        Map<?, ?> inbox = inbox(rooted, "0");
        assertThat((List<?>) inbox.get("messages")).isEmpty();
        assertThat(inbox.get("blocked")).isEqualTo(true);
    }

    @Test
    void anUnreadMessageCanBeRecalledAndBodiesExpireWithRetention() {
        TestApi.User admin = api.newOrganisation();
        Person doctor = person(admin);
        Person nurse = person(admin);
        String conversation = conversation(doctor, nurse);
        String wrong = (String) send(doctor, conversation, UUID.randomUUID().toString(), "Wrong patient", "ROUTINE",
                false, 201).get("id");
        http.post().uri("/api/v1/messages/" + wrong + "/recall").headers(h -> h.setBearerAuth(doctor.user().token()))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.recalledAt").exists();
        Map<?, ?> inbox = inbox(nurse, "0");
        assertThat(((List<?>) inbox.get("messages")).get(0).toString()).contains("purge=true").doesNotContain("jwe");

        String read = (String) send(doctor, conversation, UUID.randomUUID().toString(), "Seen already", "ROUTINE",
                false, 201).get("id");
        inbox(nurse, (String) inbox.get("cursor"));
        receipt(nurse, read, "READ", null, 200);
        http.post().uri("/api/v1/messages/" + read + "/recall").headers(h -> h.setBearerAuth(doctor.user().token()))
                .exchange().expectStatus().isEqualTo(409);
        // only the sender recalls
        http.post().uri("/api/v1/messages/" + read + "/recall").headers(h -> h.setBearerAuth(nurse.user().token()))
                .exchange().expectStatus().isForbidden();

        retention.sweep(clock.instant().plus(Duration.ofDays(31))).block();
        http.get().uri("/api/v1/messages/" + read).headers(h -> h.setBearerAuth(doctor.user().token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.text").doesNotExist()
                .jsonPath("$.recipients[0].state").isEqualTo("READ");
        // someone outside the conversation sees nothing of it
        Person other = person(admin);
        http.get().uri("/api/v1/messages/" + read).headers(h -> h.setBearerAuth(other.user().token())).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(other.user().token())).header("Idempotency-Key", "k")
                .bodyValue(Map.of("text", "x", "priority", "ROUTINE")).exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(doctor.user().token()))
                .bodyValue(Map.of("text", "no key", "priority", "ROUTINE")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:idempotency-key-required");
        http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(doctor.user().token())).header("Idempotency-Key", "too-long")
                .bodyValue(Map.of("text", "x".repeat(4097), "priority", "ROUTINE")).exchange()
                .expectStatus().isBadRequest();
    }

    private Person person(TestApi.User admin) {
        TestApi.User user = api.createUser(admin.token(), "CLINICIAN");
        return new Person(user, api.enrolledDevice(admin.token(), "COPE", user.id()));
    }

    private String conversation(Person a, Person b) {
        return (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(a.user().token()))
                .bodyValue(Map.of("participants", List.of(b.user().id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private Map<?, ?> send(Person from, String conversation, String key, String text, String priority,
            boolean requiresAck, int status) {
        return http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(from.user().token())).header("Idempotency-Key", key)
                .bodyValue(Map.of("text", text, "priority", priority, "requiresAck", requiresAck)).exchange()
                .expectStatus().isEqualTo(status).expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<?, ?> inbox(Person who, String after) {
        // like DPoP, the device token is bound to the URL without its query
        return http.get().uri("/device/v1/messages?after=" + after)
                .header("Authorization", "Device " + who.device().jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private void receipt(Person who, String messageId, String state, String reason, int status) {
        Map<String, Object> body = new HashMap<>(Map.of("state", state));
        if (reason != null) {
            body.put("reason", reason);
        }
        api.deviceCall(who.device(), "POST", "/device/v1/messages/" + messageId + "/receipts", body).expectStatus()
                .isEqualTo(status);
    }

    private String state(Person sender, String messageId, Person recipient) {
        Map<?, ?> view = http.get().uri("/api/v1/messages/" + messageId)
                .headers(h -> h.setBearerAuth(sender.user().token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) view.get("recipients")).stream().map(r -> (Map<?, ?>) r)
                .filter(r -> recipient.user().id().equals(r.get("userId"))).map(r -> (String) r.get("state"))
                .findFirst().orElseThrow();
    }

    private static Map<String, Object> decrypt(Person who, String jwe) throws Exception {
        JWEObject object = JWEObject.parse(jwe);
        object.decrypt(new ECDHDecrypter((ECPrivateKey) who.device().keys().getPrivate()));
        return object.getPayload().toJSONObject();
    }
}
