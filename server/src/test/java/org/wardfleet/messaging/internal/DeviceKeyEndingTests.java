package org.wardfleet.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.Devices;
import org.wardfleet.support.RegisteredDevices;

/**
 * A device's message key ends with its credential, at once rather than at the daily sweep: retired, the device's key
 * no longer serves a fetch; renewed (even keeping its enrolled key, under which the old message key would still
 * open), the old key is dropped. Boots messaging and what it depends on, without enrollment, on-call, WCTP, the
 * console or the clinician app.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
class DeviceKeyEndingTests {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @Autowired Devices devices;
    @Autowired MessageKeys keys;

    @Test
    void retiringADeviceMakesItsMessageKeyFetchFail() {
        String org = UUID.randomUUID().toString();
        Device lost = withKey(RegisteredDevices.register(devices, org));
        Device kept = withKey(RegisteredDevices.register(devices, org));

        devices.requestAction(org, lost.id(), ActionType.RETIRE, "it-admin").block();

        await().atMost(GENEROUS).until(() -> keys.forFetch(lost, null).block().isEmpty());
        assertThat(keys.forFetch(kept, null).block()).isPresent();
    }

    @Test
    void replacingACredentialDropsTheOldMessageKey() {
        String org = UUID.randomUUID().toString();
        Device renewed = withKey(RegisteredDevices.register(devices, org));

        Device after = devices.replaceCertificate(org, renewed.id(), RegisteredDevices.serial(),
                Instant.now().plusSeconds(86_400), renewed.publicKey()).block();

        await().atMost(GENEROUS).until(() -> keys.current(after).block().isEmpty());
    }

    /** The device asked for a key and confirmed it: the key is in use. */
    private Device withKey(Device device) {
        MessageKeys.Issued issued = keys.issue(device).block();
        assertThat(keys.confirm(device, issued.kid()).block()).isEqualTo(MessageKeys.Confirmed.ACTIVATED);
        assertThat(keys.current(device).block()).isPresent();
        return device;
    }
}
