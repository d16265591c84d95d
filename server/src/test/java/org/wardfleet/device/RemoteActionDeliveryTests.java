package org.wardfleet.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.sdk.DeviceClient;
import org.wardfleet.sdk.DeviceStream;
import org.wardfleet.support.FcmStub;
import org.wardfleet.support.SdkPhone;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;


import tools.jackson.databind.JsonNode;

/**
 * Lock, wipe and retire reach the device at once instead of at its next check-in (up to two hours on the BYOD
 * baseline): a connected phone hears it on its stream, another gets an FCM wake-up, and the action shows when the
 * device fetched it and when it reported back. The phones here never check in on their own, so only the wake-up can
 * have told them.
 */
@WardfleetTest
@Import(FcmStub.Transport.class)
class RemoteActionDeliveryTests {

    static final FcmStub FCM = FcmStub.start();
    static final DeviceClient.Inventory INVENTORY = new DeviceClient.Inventory("15", null, null, null, null);


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
    @LocalServerPort int port;

    @Test
    void aConnectedPhoneHearsOfALockAtOnceAndTheActionShowsItAcknowledged() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone phone = SdkPhone.enroll(api, admin, port);
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> executed = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = phone.client().openStream(events::add)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(e -> e.contains("hello")));

            Map<?, ?> lock = act(admin, phone.device().deviceId(), "LOCK");
            assertThat(lock.get("delivery")).isEqualTo("WAITING");
            assertThat(lock.get("wokenVia")).isEqualTo("STREAM");
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .anyMatch(e -> e.contains("\"type\":\"sync\"") && e.contains("\"reason\":\"action\"")));
            // what the app does on that event: check in, carry out what it is handed, report back
            phone.client().checkInAndAct(INVENTORY, (id, type) -> executed.add(type));
        }
        assertThat(executed).containsExactly("LOCK");
        Map<?, ?> shown = action(admin, phone.device().deviceId(), "LOCK");
        assertThat(shown.get("delivery")).isEqualTo("ACKNOWLEDGED_BY_DEVICE");
        assertThat(shown.get("state")).isEqualTo("DONE");
        assertThat(shown.get("deliveredAt")).isNotNull();
        assertThat(shown.get("acknowledgedAt")).isNotNull();
        assertThat(shown.get("wokenAt")).isNotNull();
    }

    @Test
    void aPhoneWithoutAStreamGetsAnFcmWakeUpThenFetchesAndAcknowledges() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone phone = phoneWithPushToken(admin);
        String token = pushToken(phone);

        Map<?, ?> wipe = act(admin, phone.device().deviceId(), "SELECTIVE_WIPE");
        assertThat(wipe.get("wokenVia")).isEqualTo("PUSH");
        await().atMost(Duration.ofSeconds(60)).until(() -> !FCM.messagesTo(token).isEmpty());
        JsonNode message = FCM.messagesTo(token).get(0).path("message");
        // a wake-up only: no notification, no action type, nothing a lock screen or Google could read
        assertThat(message.has("notification")).isFalse();
        assertThat(message.path("data").path("type").asString()).isEqualTo("sync");
        assertThat(message.path("data").path("reason").asString()).isEqualTo("action");
        assertThat(message.path("data").properties()).hasSize(2);
        assertThat(message.path("android").path("priority").asString()).isEqualTo("high");
        // never collapsed behind a later policy sync
        assertThat(message.path("android").has("collapse_key")).isFalse();

        assertThat(phone.client().checkIn(INVENTORY).pendingActions()).extracting(DeviceClient.PendingAction::type)
                .containsExactly("SELECTIVE_WIPE");
        Map<?, ?> fetched = action(admin, phone.device().deviceId(), "SELECTIVE_WIPE");
        assertThat(fetched.get("delivery")).isEqualTo("DELIVERED_TO_DEVICE");
        assertThat(fetched.get("deliveredAt")).isNotNull();
        assertThat(fetched.get("acknowledgedAt")).isNull();

        phone.client().acknowledge((String) wipe.get("id"), true, "work profile removed");
        assertThat(action(admin, phone.device().deviceId(), "SELECTIVE_WIPE").get("delivery"))
                .isEqualTo("ACKNOWLEDGED_BY_DEVICE");
    }

    @Test
    void aRetiredPhoneIsWokenAndItsNextCallIsTheRetireCommand() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone phone = phoneWithPushToken(admin);
        String token = pushToken(phone);

        // revoked at once (a lost phone must be cut off now), then woken to hear it
        Map<?, ?> retire = act(admin, phone.device().deviceId(), "RETIRE");
        assertThat(retire.get("delivery")).isEqualTo("WAITING");
        await().atMost(Duration.ofSeconds(60)).until(() -> !FCM.messagesTo(token).isEmpty());
        assertThat(FCM.messagesTo(token).get(0).path("message").path("data").path("reason").asString())
                .isEqualTo("action");

        // its next call is refused with device-retired, over the server-authenticated channel, in answer to a
        // request it signed: that refusal is the command, and the SDK runs the app's RETIRE once
        List<String> executed = new CopyOnWriteArrayList<>();
        assertThat(phone.client().checkInAndAct(INVENTORY, (id, type) -> executed.add(type)))
                .extracting(DeviceClient.PendingAction::type).containsExactly("RETIRE");
        assertThat(phone.client().checkInAndAct(INVENTORY, (id, type) -> executed.add(type))).isEmpty();
        assertThat(executed).containsExactly("RETIRE");
        Map<?, ?> shown = action(admin, phone.device().deviceId(), "RETIRE");
        assertThat(shown.get("delivery")).isEqualTo("DELIVERED_TO_DEVICE");
        assertThat(shown.get("deliveredAt")).isNotNull();
        // the first refusal is the call the wake-up asked for: no stolen-phone alarm for it; the second call is one
        long alarms = await().atMost(Duration.ofSeconds(60)).until(() -> alarms(admin, phone.device().deviceId()),
                n -> n > 0);
        assertThat(alarms).isEqualTo(1);
    }

    /** Security events saying this device's retired credential was used, as IT's event stream replays them. */
    private long alarms(TestApi.User admin, String deviceId) {
        return http.get().uri("/api/v1/events?sinceMinutes=60").headers(h -> h.setBearerAuth(admin.token()))
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                }).getResponseBody()
                .take(Duration.ofSeconds(2)) // stored events come first; the stream then stays open
                .filter(e -> "device.retired-credential-used".equals(e.event())
                        && String.valueOf(e.data()).contains(deviceId))
                .count().block(Duration.ofSeconds(30));
    }

    /** A phone that told the server its FCM token at a check-in, and has no stream open. */
    private SdkPhone phoneWithPushToken(TestApi.User admin) {
        SdkPhone phone = SdkPhone.enroll(api, admin, port);
        phone.client().checkIn(new DeviceClient.Inventory("15", null, null, null, pushToken(phone)));
        return phone;
    }

    private static String pushToken(SdkPhone phone) {
        return "tok-" + phone.device().deviceId();
    }

    private Map<?, ?> act(TestApi.User admin, String deviceId, String type) {
        return http.post().uri("/api/v1/devices/{id}/actions", deviceId).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("type", type)).exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** The device's latest action of {@code type} as IT sees it. */
    private Map<?, ?> action(TestApi.User admin, String deviceId, String type) {
        Map<?, ?> detail = http.get().uri("/api/v1/devices/{id}", deviceId).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) detail.get("actions")).stream().map(a -> (Map<?, ?>) a)
                .filter(a -> type.equals(a.get("type"))).findFirst().orElseThrow();
    }
}
