package org.wardfleet.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.platform.mongo.EmbeddedDatabase;
import org.wardfleet.sdk.DeviceClient;
import org.wardfleet.sdk.DeviceStream;
import org.wardfleet.support.RunningServer;
import org.wardfleet.support.SdkPhone;
import org.wardfleet.support.TestApi;

/**
 * Two instances on one database, as behind a load balancer: a page sent through instance A reaches a phone whose
 * stream is on instance B as the pushed copy itself — its own encrypted copy, no wake-up and fetch — handed to B
 * through the change-stream signals; the phone's receipt, given to B, makes it DELIVERED for the sender on A.
 */
class PushThroughAnyInstanceTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // two server starts, two phones enrolled
    void aPageSentOnOneInstanceIsPushedToAPhoneStreamingToTheOther() {
        try (RunningServer a = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY"));
                RunningServer b = RunningServer.start(Map.of("wardfleet.tls.enabled", "false",
                        "wardfleet.mongodb.uri", a.bean(EmbeddedDatabase.class).uriWithCredentials()))) {
            TestApi api = TestApi.of(a);
            TestApi.User admin = api.newOrganisation();
            SdkPhone doctor = SdkPhone.enroll(api, admin, a.port());
            SdkPhone nurse = SdkPhone.enroll(api, admin, b.port()); // the nurse's phone talks to B only
            DeviceClient.MessageKey key = nurse.client().requestMessageKey(nurse.keys());
            List<String> events = new CopyOnWriteArrayList<>();
            try (DeviceStream stream = nurse.client().openStream(events::add)) {
                event(events, "hello");
                stream.subscribeMessages();
                event(events, "subscribed");

                WebTestClient http = a.http();
                String conversation = (String) http.post().uri("/api/v1/conversations")
                        .headers(h -> h.setBearerAuth(doctor.user().token()))
                        .bodyValue(Map.of("participants", List.of(nurse.user().id()))).exchange()
                        .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
                String id = (String) http.post().uri("/api/v1/conversations/" + conversation + "/messages")
                        .headers(h -> h.setBearerAuth(doctor.user().token()))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .bodyValue(Map.of("text", "Resus bay 2 now", "priority", "STAT", "requiresAck", true))
                        .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                        .getResponseBody().get("id");

                DeviceClient.Pushed pushed = nurse.client().readPushed(key, event(events, "\"type\":\"deliver\""));
                assertThat(pushed.messages()).singleElement().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(id);
                    assertThat(m.text()).isEqualTo("Resus bay 2 now");
                });
                assertThat(events).noneMatch(e -> e.contains("\"reason\":\"message\"")); // pushed, not woken

                stream.confirmDelivered(pushed);
                await().atMost(WAIT).until(() -> "DELIVERED".equals(state(http, doctor, id)));
            }
        }
    }

    private static String event(List<String> events, String containing) {
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.contains(containing)));
        return events.stream().filter(e -> e.contains(containing)).findFirst().orElseThrow();
    }

    private static String state(WebTestClient http, SdkPhone sender, String messageId) {
        Object recipients = http.get().uri("/api/v1/messages/" + messageId)
                .headers(h -> h.setBearerAuth(sender.user().token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("recipients");
        return (String) ((Map<?, ?>) ((List<?>) recipients).get(0)).get("state");
    }
}
