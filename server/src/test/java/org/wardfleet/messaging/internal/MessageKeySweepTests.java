package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * A retired phone's message key is deleted at once by its {@code DeviceRetired} event; one left behind by a lost event
 * (a crash between the retirement and the event) is deleted by the safety-net sweep; a phone in use keeps its key.
 */
@WardfleetTest
class MessageKeySweepTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MessageKeySweep sweep;
    @Autowired MongoDatabase db;

    @Test
    void aRetiredPhonesMessageKeyIsDeletedAndAnActiveOneKept() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice inUse = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        TestDevice lost = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        for (TestDevice phone : new TestDevice[] {inUse, lost}) {
            api.deviceCall(phone, "POST", "/device/v1/message-key", null).expectStatus().isCreated();
        }
        assertThat(keyOf(inUse)).isNotNull();
        Document lostKey = keyOf(lost);
        assertThat(lostKey).isNotNull();

        http.post().uri("/api/v1/devices/{id}/actions", lost.deviceId()).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("type", "RETIRE")).exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(60)).until(() -> keyOf(lost) == null);
        assertThat(keyOf(inUse)).isNotNull();

        // as if the event had been lost: the key is still there, and the sweep finds it
        Mono.from(db.getCollection("device_message_keys").insertOne(lostKey)).block();
        assertThat(sweep.sweep().block()).isPositive();

        assertThat(keyOf(lost)).isNull();
        assertThat(keyOf(inUse)).isNotNull();
        assertThat(sweep.sweep().block()).isZero(); // nothing left to delete
    }

    private Document keyOf(TestDevice phone) {
        return Mono.from(db.getCollection("device_message_keys").find(Filters.eq("_id", phone.deviceId())).first())
                .block();
    }
}
