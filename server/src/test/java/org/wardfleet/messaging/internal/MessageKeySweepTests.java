package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.Devices;
import org.wardfleet.support.RegisteredDevices;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * A retired phone's message key is deleted at once by its {@code DeviceRetired} event; one left behind by a lost event
 * (a crash between the retirement and the event) is deleted by the safety-net sweep; a phone in use keeps its key.
 * Boots messaging and what it depends on, like {@link DeviceKeyEndingTests} (the same context).
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
class MessageKeySweepTests {

    @Autowired Devices devices;
    @Autowired MessageKeys keys;
    @Autowired MessageKeySweep sweep;
    @Autowired MongoDatabase db;

    @Test
    void aRetiredPhonesMessageKeyIsDeletedAndAnActiveOneKept() {
        String org = UUID.randomUUID().toString();
        Device inUse = withKey(RegisteredDevices.register(devices, org));
        Device lost = withKey(RegisteredDevices.register(devices, org));
        Document lostKey = keyOf(lost);

        devices.requestAction(org, lost.id(), ActionType.RETIRE, "it-admin").block();
        await().atMost(Duration.ofSeconds(60)).until(() -> keyOf(lost) == null);
        assertThat(keyOf(inUse)).isNotNull();

        // as if the event had been lost: the key is still there, and the sweep finds it
        Mono.from(db.getCollection("device_message_keys").insertOne(lostKey)).block();
        assertThat(sweep.sweep().block()).isPositive();

        assertThat(keyOf(lost)).isNull();
        assertThat(keyOf(inUse)).isNotNull();
        assertThat(sweep.sweep().block()).isZero(); // nothing left to delete
    }

    private Device withKey(Device device) {
        keys.confirm(device, keys.issue(device).block().kid()).block();
        assertThat(keyOf(device)).isNotNull();
        return device;
    }

    private Document keyOf(Device device) {
        return Mono.from(db.getCollection("device_message_keys").find(Filters.eq("_id", device.id())).first())
                .block();
    }
}
