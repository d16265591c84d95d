package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * A page acknowledged on a phone is acknowledged at once — not at the next re-alert or escalation step. The engine's
 * tick and both re-alert intervals are an hour away (the same settings as {@link EscalationTests}, so one context
 * serves both): nothing but the acknowledgement itself can move the page.
 */
@WardfleetTest
@TestPropertySource(properties = {"wardfleet.oncall.tick=1h", "wardfleet.oncall.watchdog=1s",
    "wardfleet.oncall.realert-stat=1h", "wardfleet.oncall.realert-urgent=1h"})
class DeviceAcknowledgementTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MongoDatabase db;

    @Test
    void aStatPageAcknowledgedOnAPhoneIsAcknowledgedAtOnce() {
        acknowledgedOnAPhone("STAT");
    }

    @Test
    void aRoutinePageAcknowledgedOnAPhoneIsAcknowledgedAtOnce() {
        acknowledgedOnAPhone("ROUTINE");
    }

    private void acknowledgedOnAPhone(String priority) {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", doctor.id());
        String id = (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("userId", doctor.id()), "text", "Bed 4 pain relief", "priority",
                        priority))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk();
        api.deviceCall(phone, "POST", "/device/v1/messages/" + id + "/receipts", Map.of("state", "ACKNOWLEDGED"))
                .expectStatus().isOk();

        // the stored page itself follows the receipt (not only a view computed from receipts)
        await().atMost(Duration.ofSeconds(60)).until(() -> "ACKNOWLEDGED".equals(stored(id).getString("state")));
        assertThat(stored(id).getString("acknowledgedBy")).isEqualTo(doctor.id());
        http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("ACKNOWLEDGED")
                .jsonPath("$.acknowledgedBy").isEqualTo(doctor.id());
    }

    private Document stored(String id) {
        return Mono.from(db.getCollection("pages").find(Filters.eq("_id", id)).first()).block();
    }
}
