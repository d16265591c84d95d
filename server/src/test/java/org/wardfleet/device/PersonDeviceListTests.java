package org.wardfleet.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.wardfleet.sdk.DeviceStream;
import org.wardfleet.support.CommandLog;
import org.wardfleet.support.SdkPhone;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * The devices a page goes to come from each person's device list (a lookup by key), not from a query on the
 * assigned person that reads every device of the organisation; the list never costs a phone its page.
 */
@WardfleetTest
@Import(PersonDeviceListTests.Commands.class)
@TestPropertySource(properties = {"wardfleet.oncall.tick=1h", "wardfleet.oncall.watchdog=1s",
    "wardfleet.oncall.realert-stat=1h", "wardfleet.oncall.realert-urgent=1h"})
class PersonDeviceListTests {

    @TestConfiguration
    static class Commands {
        @Bean
        CommandLog commandLog() {
            return new CommandLog();
        }
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @Autowired CommandLog commands;
    @LocalServerPort int port;

    static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * The phone streams, subscribed to messages, as in the page-latency benchmark; the commands counted are those
     * naming the organisation from just before the POST until its answer (the phone has its copy by then).
     */
    @Test
    void aPageToOnePersonDoesNotQueryTheDevicesByTheirAssignedPerson() {
        TestApi.User admin = api.newOrganisation();
        SdkPhone nurse = SdkPhone.enroll(api, admin, port);
        nurse.client().requestMessageKey(nurse.keys()); // pushed copies need the device's message key
        List<String> events = new CopyOnWriteArrayList<>();
        try (DeviceStream stream = nurse.client().openStream(events::add)) {
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.contains("hello")));
            stream.subscribeMessages();
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.contains("subscribed")));
            page(admin, nurse.user()); // warm: first-time lookups (organisation settings, keys) are not a page's cost
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.contains("\"type\":\"deliver\"")));
            String orgId = Mono.from(db.getCollection("users").find(Filters.eq("_id", nurse.user().id())).first())
                    .block().getString("orgId");

            String[] id = new String[1];
            List<CommandLog.Command> during = commands.during(orgId, () -> id[0] = page(admin, nurse.user()));

            await().atMost(WAIT).until(() -> events.stream()
                    .anyMatch(e -> e.contains("\"type\":\"deliver\"") && e.contains(id[0])));
            System.out.println("commands for one page (POST until its answer): " + during.size() + "\n  "
                    + String.join("\n  ", during.stream().map(CommandLog.Command::toString).toList()));
            assertThat(during).noneMatch(c -> "devices".equals(c.collection()) && c.body().contains("assignedUserId"));
        }
    }

    @Test
    void aPageReachesAPhoneWhosePersonHasNoDeviceListYet() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        // as for a phone enrolled before the lists existed, or a list lost with its write
        Mono.from(db.getCollection("person_devices").deleteMany(Filters.regex("_id", "/" + nurse.id() + "$")))
                .block();

        assertThat(eligible(admin, page(admin, nurse))).isEqualTo(1);
        assertThat(listed(nurse)).containsExactly(phone.deviceId()); // listed again for the next page
        assertThat(eligible(admin, page(admin, nurse))).isEqualTo(1);
    }

    @Test
    void aRetiredPhoneGetsNoPageAndTheOtherPhoneStillDoes() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice kept = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        TestDevice retired = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        assertThat(eligible(admin, page(admin, nurse))).isEqualTo(2);

        http.post().uri("/api/v1/devices/{id}/actions", retired.deviceId()).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("type", "RETIRE")).exchange().expectStatus().isAccepted();

        await().atMost(Duration.ofSeconds(60)).until(() -> eligible(admin, page(admin, nurse)) == 1);
        String id = page(admin, nurse);
        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + kept.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.messages[?(@.id == '" + id + "')]").exists();
    }

    private String page(TestApi.User sender, TestApi.User to) {
        return (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(sender.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("userId", to.id()), "text", "Bed 4 pain relief", "priority", "STAT"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    /** How many of the recipient's devices could receive the page when it was sent. */
    private int eligible(TestApi.User sender, String pageId) {
        List<?> recipients = (List<?>) http.get().uri("/api/v1/messages/" + pageId)
                .headers(h -> h.setBearerAuth(sender.token())).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("recipients");
        return ((Number) ((Map<?, ?>) recipients.get(0)).get("eligibleDevices")).intValue();
    }

    private List<String> listed(TestApi.User person) {
        Document list = Mono.from(db.getCollection("person_devices")
                .find(Filters.regex("_id", "/" + person.id() + "$")).first()).block();
        return list == null ? List.of() : list.getList("devices", String.class);
    }
}
