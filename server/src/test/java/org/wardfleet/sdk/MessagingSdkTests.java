package org.wardfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.SdkPhone;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

/**
 * The clinician's app through the SDK: woken on its stream, fetches and decrypts a page, acknowledges it (the sender
 * sees it), and after being offline gets everything it missed exactly once.
 */
@WardfleetTest
class MessagingSdkTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @LocalServerPort int port;

    @Test
    void aPageReachesTheAppIsAcknowledgedAndNothingIsLostOrRepeatedAcrossAnOfflineSpell() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone doctor = phone(admin);
        SdkPhone nurse = phone(admin);
        String conversation = conversation(doctor, nurse);

        List<String> events = new CopyOnWriteArrayList<>();
        String cursor;
        try (DeviceStream stream = nurse.client().openStream(events::add)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(e -> e.contains("hello")));
            String id = send(doctor, conversation, "Resus bay 2 now", "STAT", true);
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .anyMatch(e -> e.contains("\"reason\":\"message\"")));
            DeviceClient.Inbox inbox = nurse.client().fetchMessages(nurse.keys(), "0");
            assertThat(inbox.messages()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(id);
                assertThat(m.text()).isEqualTo("Resus bay 2 now");
                assertThat(m.priority()).isEqualTo("STAT");
                assertThat(m.requiresAck()).isTrue();
            });
            nurse.client().receipt(id, "ACKNOWLEDGED", null);
            // and answers from the phone, in the same conversation; a retry with the same key sends nothing new
            String key = UUID.randomUUID().toString();
            String answer = nurse.client().send(conversation, "Coming", "URGENT", false, id, key);
            assertThat(nurse.client().send(conversation, "Coming", "URGENT", false, id, key)).isEqualTo(answer);
            DeviceClient.Inbox doctorInbox = doctor.client().fetchMessages(doctor.keys(), "0");
            assertThat(doctorInbox.messages()).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("Coming");
                assertThat(m.senderId()).isEqualTo(nurse.user().id());
            });
            http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(doctor.user().token())).exchange()
                    .expectBody().jsonPath("$.recipients[0].state").isEqualTo("ACKNOWLEDGED");
            cursor = inbox.cursor();
        }

        // offline: two more messages arrive while the app is closed
        String second = send(doctor, conversation, "Also bed 9", "URGENT", false);
        String third = send(doctor, conversation, "Thanks", "ROUTINE", false);
        DeviceClient.Inbox missed = nurse.client().fetchMessages(nurse.keys(), cursor);
        assertThat(missed.messages()).extracting(DeviceClient.ReceivedMessage::id).containsExactly(second, third);
        assertThat(nurse.client().fetchMessages(nurse.keys(), missed.cursor()).messages()).isEmpty();
    }

    /**
     * The app asks for a message key once and decrypts pages with it; when its key was replaced (say by a reinstall
     * that kept the cursor), a fetch naming the old key still reads the page — encrypted to the enrolled key — and
     * after asking again the same cursor yields the same page under the new key: nothing is lost.
     */
    @Test
    void anAppWithAMessageKeyDecryptsPagesAndRecoversWhenItsKeyWasReplaced() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone doctor = phone(admin);
        SdkPhone nurse = phone(admin);
        String conversation = conversation(doctor, nurse);
        DeviceClient.MessageKey key = nurse.client().requestMessageKey(nurse.keys());
        String first = send(doctor, conversation, "Resus bay 2 now", "STAT", true);
        DeviceClient.Inbox inbox = nurse.client().fetchMessages(nurse.keys(), key, "0");
        assertThat(inbox.messages()).extracting(DeviceClient.ReceivedMessage::id).containsExactly(first);
        assertThat(inbox.messages().get(0).text()).isEqualTo("Resus bay 2 now");

        DeviceClient.MessageKey replaced = nurse.client().requestMessageKey(nurse.keys());
        String second = send(doctor, conversation, "Also bed 9", "URGENT", false);
        assertThat(nurse.client().fetchMessages(nurse.keys(), key, inbox.cursor()).messages())
                .extracting(DeviceClient.ReceivedMessage::text).containsExactly("Also bed 9");
        DeviceClient.Inbox again = nurse.client().fetchMessages(nurse.keys(), replaced, inbox.cursor());
        assertThat(again.messages()).extracting(DeviceClient.ReceivedMessage::text).containsExactly("Also bed 9");
        assertThat(again.messages().get(0).id()).isEqualTo(second);
    }

    /**
     * A connected app answers a wake-up by asking on its stream (no new token or connection): the page arrives as a
     * messages event and is DELIVERED for the sender. Bad frames — not JSON, too large, an unknown request, a bad
     * cursor, a burst — each get an error event with a stable problem type, and the stream keeps working; a flood
     * closes it.
     */
    @Test
    void aConnectedAppFetchesOverItsStreamAndBadFramesGetErrorsNotACrash() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone doctor = phone(admin);
        SdkPhone nurse = phone(admin);
        String conversation = conversation(doctor, nurse);
        DeviceClient.MessageKey key = nurse.client().requestMessageKey(nurse.keys());
        List<String> events = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = nurse.client().openStream(events::add)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(e -> e.contains("hello")));
            assertThat(events.get(0)).contains("\"requests\":[\"delivered\",\"fetch\",\"subscribe\"]");
            String id = send(doctor, conversation, "Resus bay 2 now", "STAT", true);
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .anyMatch(e -> e.contains("\"reason\":\"message\"")));
            stream.requestMessages("0", "r1");
            String answer = event(events, "\"id\":\"r1\"");
            DeviceClient.Inbox inbox = nurse.client().readInbox(nurse.keys(), key, answer);
            assertThat(inbox.messages()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(id);
                assertThat(m.text()).isEqualTo("Resus bay 2 now");
            });
            http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(doctor.user().token())).exchange()
                    .expectBody().jsonPath("$.recipients[0].state").isEqualTo("DELIVERED");

            stream.sendFrame("not json");
            assertThat(event(events, "malformed-request")).contains("\"type\":\"error\"");
            stream.sendFrame("{\"type\":\"launch-missiles\",\"id\":\"r2\"}");
            assertThat(event(events, "\"id\":\"r2\"")).contains("urn:wardfleet:problem:not-found");
            stream.sendFrame("{\"type\":\"fetch\",\"after\":\"" + "9".repeat(5000) + "\"}");
            event(events, "payload-too-large");
            stream.sendFrame("{\"type\":\"fetch\",\"after\":\"-1\",\"id\":\"r3\"}");
            assertThat(event(events, "\"id\":\"r3\"")).contains("validation-failed");
            // still serving: the next page comes the same way, after the cursor
            String second = send(doctor, conversation, "Also bed 9", "URGENT", false);
            stream.requestMessages(inbox.cursor(), "r4");
            assertThat(nurse.client().readInbox(nurse.keys(), key, event(events, "\"id\":\"r4\"")).messages())
                    .extracting(DeviceClient.ReceivedMessage::id).containsExactly(second);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> nurse.client().readInbox(nurse.keys(), key,
                    event(events, "\"id\":\"r3\""))).isInstanceOf(IllegalStateException.class);

            // a burst in a fresh second: ten are answered, the next ones refused until the next second
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(1100).toNanos());
            for (int i = 0; i < 15; i++) {
                stream.requestMessages("0", "burst" + i);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().filter(e -> e.contains("burst"))
                    .count() == 15);
            assertThat(events.stream().filter(e -> e.contains("burst") && e.contains("rate-limited")).count())
                    .isEqualTo(5);
            assertThat(stream.closed()).isNotDone();
            // a flood (far over the rate): the server stops answering and closes the stream
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(1100).toNanos());
            try {
                for (int i = 0; i < 40 && !stream.closed().isDone(); i++) {
                    stream.sendFrame("{}");
                }
            } catch (java.util.concurrent.CompletionException closedMeanwhile) {
                // the server closed the stream while frames were still going out
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.closed().isDone());
        }
    }

    /**
     * An app that holds a message key and subscribed its stream to messages gets a page pushed as a deliver event —
     * no wake-up, no fetch — yet the page stays SENT for the sender until the app sends back the receipt token hidden
     * in that copy's ciphertext: a forged token is refused with receipt-invalid and records nothing. An app without a
     * message key that subscribed still gets a wake-up and fetches, and an app that never subscribed sees no change.
     */
    @Test
    void aSubscribedAppGetsPagesOnItsStreamAndOnlyItsOwnReceiptMakesThemDelivered() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone doctor = phone(admin);
        SdkPhone nurse = phone(admin);
        SdkPhone porter = phone(admin);
        String conversation = conversation(doctor, nurse);
        String toPorter = conversation(doctor, porter);
        DeviceClient.MessageKey key = nurse.client().requestMessageKey(nurse.keys());
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> porterEvents = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = nurse.client().openStream(events::add);
                DeviceStream porterStream = porter.client().openStream(porterEvents::add)) {
            event(events, "hello");
            event(porterEvents, "hello");
            stream.subscribeMessages();
            porterStream.subscribeMessages();
            assertThat(event(events, "subscribed")).contains("\"topics\":[\"messages\"]");
            stream.sendFrame("{\"type\":\"subscribe\",\"topics\":[\"audit\"],\"id\":\"s2\"}");
            assertThat(event(events, "\"id\":\"s2\"")).contains("urn:wardfleet:problem:validation-failed");
            stream.sendFrame("{\"type\":\"subscribe\",\"topics\":[null],\"id\":\"s3\"}");
            assertThat(event(events, "\"id\":\"s3\"")).contains("urn:wardfleet:problem:validation-failed");
            event(porterEvents, "subscribed");

            String id = send(doctor, conversation, "Resus bay 2 now", "STAT", true);
            String deliver = event(events, "\"type\":\"deliver\"");
            assertThat(deliver).startsWith("{\"type\":\"deliver\""); // apps tell events apart by how they start
            DeviceClient.Pushed pushed = nurse.client().readPushed(key, deliver);
            assertThat(pushed.messages()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(id);
                assertThat(m.text()).isEqualTo("Resus bay 2 now");
                assertThat(m.priority()).isEqualTo("STAT");
            });
            assertThat(events).noneMatch(e -> e.contains("\"reason\":\"message\""));
            // pushed is not delivered: the sender still sees SENT, so escalation and the pager fallback go on
            assertThat(state(doctor, id)).isEqualTo("SENT");

            stream.sendFrame("{\"type\":\"delivered\",\"id\":\"forged\",\"messages\":[{\"id\":\"" + id
                    + "\",\"receipt\":\"AAAAAAAAAAAAAAAAAAAAAA\"}]}");
            assertThat(event(events, "\"id\":\"forged\"")).contains("urn:wardfleet:problem:receipt-invalid");
            // the nurse's genuine receipt, replayed by another device, is no receipt either
            porterStream.sendFrame("{\"type\":\"delivered\",\"id\":\"replayed\",\"messages\":[{\"id\":\"" + id
                    + "\",\"receipt\":\"" + pushed.receipts().get(id) + "\"}]}");
            assertThat(event(porterEvents, "\"id\":\"replayed\"")).contains("receipt-invalid");
            stream.sendFrame("{\"type\":\"delivered\",\"id\":\"empty\",\"messages\":[]}");
            assertThat(event(events, "\"id\":\"empty\"")).contains("validation-failed");
            assertThat(state(doctor, id)).isEqualTo("SENT");

            stream.confirmDelivered(pushed);
            assertThat(event(events, "\"type\":\"recorded\"")).contains(id);
            await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(state(doctor, id)));

            // no message key: subscribed or not, the porter is woken and fetches as before
            String forPorter = send(doctor, toPorter, "Trolley to bay 4", "URGENT", false);
            event(porterEvents, "\"reason\":\"message\"");
            assertThat(porterEvents).noneMatch(e -> e.contains("\"type\":\"deliver\""));
            assertThat(porter.client().fetchMessages(porter.keys(), "0").messages())
                    .extracting(DeviceClient.ReceivedMessage::id).containsExactly(forPorter);

            // pages that arrive together are confirmed together, in one frame
            String second = send(doctor, conversation, "Also bed 9", "URGENT", false);
            String third = send(doctor, conversation, "And bed 12", "URGENT", false);
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .filter(e -> e.startsWith("{\"type\":\"deliver\"")).count() == 3);
            List<DeviceClient.Pushed> together = events.stream().filter(e -> e.startsWith("{\"type\":\"deliver\""))
                    .skip(1).map(e -> nurse.client().readPushed(key, e)).toList();
            stream.confirmDelivered(together);
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .anyMatch(e -> e.contains("recorded") && e.contains(second) && e.contains(third)));
            assertThat(state(doctor, second)).isEqualTo("DELIVERED");
            assertThat(state(doctor, third)).isEqualTo("DELIVERED");

            // the catch-up fetch after (re)subscribing returns the pushed pages again: the app keeps messages by id
            assertThat(nurse.client().fetchMessages(nurse.keys(), key, "0").messages())
                    .extracting(DeviceClient.ReceivedMessage::id).containsExactly(id, second, third);

            // a pushed copy is in the inbox too: a phone whose stream dropped before it confirmed can fetch it again
            String fourth = send(doctor, conversation, "Bed 3 as well", "URGENT", false);
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .filter(e -> e.startsWith("{\"type\":\"deliver\"")).count() == 4);
            assertThat(nurse.client().fetchMessages(nurse.keys(), key, "0").messages())
                    .extracting(DeviceClient.ReceivedMessage::id).containsExactly(id, second, third, fourth);
        }
    }

    /**
     * A key issue that fails after the key was stored (here: its answer never reaches the phone) leaves nothing in
     * use the phone cannot open: pushed pages still come under the key it holds. And a phone that does get a copy it
     * cannot open (its key was replaced where it did not hear of it) fetches that page instead, naming the key it
     * holds, reads it, and the sender sees it DELIVERED.
     */
    @Test
    void aKeyThePhoneNeverReceivedIsNeverUsedAndACopyItCannotOpenIsFetchedInstead() {
        SdkPhone[] pair = twoPhones(api.newOrganisation());
        SdkPhone doctor = pair[0];
        SdkPhone nurse = pair[1];
        String conversation = conversation(doctor, nurse);
        DeviceClient.MessageKey key = nurse.client().requestMessageKey(nurse.keys());
        List<String> events = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = subscribed(nurse, events)) {

            // an issue whose answer is lost on the way: the phone never has that key
            api.deviceCall(raw(nurse), "POST", "/device/v1/message-key", null).expectStatus().isCreated();
            String first = send(doctor, conversation, "Resus bay 2 now", "STAT", true);
            DeviceClient.Pushed pushed = nurse.client().readPushed(key, event(events, first));
            assertThat(pushed.messages()).extracting(DeviceClient.ReceivedMessage::text)
                    .containsExactly("Resus bay 2 now");
            stream.confirmDelivered(pushed);
            await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(state(doctor, first)));

            // replaced and confirmed where this phone did not hear of it: its copy is under a key it lacks
            Map<?, ?> issued = api.deviceCall(raw(nurse), "POST", "/device/v1/message-key", null).expectStatus()
                    .isCreated().expectBody(Map.class).returnResult().getResponseBody();
            api.deviceCall(raw(nurse), "POST", "/device/v1/message-key/confirm", Map.of("kid", issued.get("kid")))
                    .expectStatus().isOk();
            String second = send(doctor, conversation, "Also bed 9", "URGENT", true);
            String deliver = event(events, second);
            assertThat(deliver).contains("\"type\":\"deliver\"");
            DeviceClient.Received received = nurse.client().receivePushed(nurse.keys(), key, deliver, "0");
            assertThat(received.pushed().messages()).isEmpty();
            assertThat(received.messages()).extracting(DeviceClient.ReceivedMessage::id).contains(second);
            assertThat(received.messages()).filteredOn(m -> m.id().equals(second))
                    .extracting(DeviceClient.ReceivedMessage::text).containsExactly("Also bed 9");
            assertThat(nurse.client().fallbackFetches()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(state(doctor, second)));
        }
    }

    private SdkPhone[] twoPhones(TestApi.User admin) {
        return new SdkPhone[] {phone(admin), phone(admin)};
    }

    /** The phone's stream, subscribed to messages. */
    private static DeviceStream subscribed(SdkPhone phone, List<String> events) {
        DeviceStream stream = phone.client().openStream(events::add);
        event(events, "hello");
        stream.subscribeMessages();
        event(events, "subscribed");
        return stream;
    }

    /** The same phone, for calls the SDK would not make as they are (an answer to drop, a confirmation elsewhere). */
    private static TestDevice raw(SdkPhone phone) {
        return TestDevice.of(new java.security.KeyPair(phone.keys().publicKey(), phone.keys().privateKey()),
                phone.device().deviceId());
    }

    private String state(SdkPhone sender, String messageId) {
        Object recipients = http.get().uri("/api/v1/messages/" + messageId)
                .headers(h -> h.setBearerAuth(sender.user().token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("recipients");
        return (String) ((Map<?, ?>) ((List<?>) recipients).get(0)).get("state");
    }

    /**
     * A renewal with a new key: the stream opened with the old certificate is refused its next fetch and closed, and
     * the message key issued under the old enrolled key no longer applies — the next page reaches the renewed device by
     * ECDH-ES to its new key (whoever held the old private key reads nothing new).
     */
    @Test
    void aRenewalWithANewKeyEndsTheOldStreamAndRetiresTheOldMessageKey() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone doctor = phone(admin);
        SdkPhone nurse = phone(admin);
        String conversation = conversation(doctor, nurse);
        nurse.client().requestMessageKey(nurse.keys());
        SoftwareKeyStore newKeys = SoftwareKeyStore.generate();
        List<java.security.cert.X509Certificate> chain;
        List<String> events = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = nurse.client().openStream(events::add)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(e -> e.contains("hello")));
            chain = nurse.client().renew(newKeys);
            // the renewal ends the old stream at once (DeviceCredentialReplaced); a fetch that gets there first is
            // refused as unauthenticated
            try {
                stream.requestMessages("0", "after-renewal");
                await().atMost(Duration.ofSeconds(60)).until(() -> stream.closed().isDone()
                        || events.stream().anyMatch(e -> e.contains("\"id\":\"after-renewal\"")));
                events.stream().filter(e -> e.contains("\"id\":\"after-renewal\"")).forEach(
                        e -> assertThat(e).contains("urn:wardfleet:problem:unauthenticated"));
            } catch (java.util.concurrent.CompletionException alreadyClosed) {
                assertThat(alreadyClosed).hasRootCauseInstanceOf(java.io.IOException.class);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.closed().isDone());
        }
        DeviceClient renewed = DeviceClient.withDeviceJwt("http://127.0.0.1:" + port, TestDevice.AUDIENCE,
                new EnrolledDevice(nurse.device().deviceId(), chain, nurse.device().endpoints(), null, newKeys), null,
                Clock.systemUTC());
        String id = send(doctor, conversation, "Resus bay 2 now", "STAT", true);
        // no message key passed: an A256KW message under the old key would fail here; ECDH-ES to the new key opens
        DeviceClient.Inbox inbox = renewed.fetchMessages(newKeys, null, "0");
        assertThat(inbox.messages()).extracting(DeviceClient.ReceivedMessage::id).containsExactly(id);
        // and a new message key can be had under the new enrolled key
        DeviceClient.MessageKey fresh = renewed.requestMessageKey(newKeys);
        String next = send(doctor, conversation, "Also bed 9", "URGENT", false);
        assertThat(renewed.fetchMessages(newKeys, fresh, inbox.cursor()).messages())
                .extracting(DeviceClient.ReceivedMessage::id).containsExactly(next);
    }

    private static String event(List<String> events, String containing) {
        await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(e -> e.contains(containing)));
        return events.stream().filter(e -> e.contains(containing)).findFirst().orElseThrow();
    }

    private String send(SdkPhone from, String conversation, String text, String priority, boolean ack) {
        return (String) http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                .headers(h -> h.setBearerAuth(from.user().token())).header("Idempotency-Key", UUID.randomUUID()
                        .toString())
                .bodyValue(Map.of("text", text, "priority", priority, "requiresAck", ack)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private SdkPhone phone(TestApi.User admin) {
        return SdkPhone.enroll(api, admin, port);
    }

    private String conversation(SdkPhone from, SdkPhone with) {
        return (String) http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(from.user().token()))
                .bodyValue(Map.of("participants", List.of(with.user().id()))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }
}
