package org.wardfleet.messaging.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.wardfleet.device.DeviceCredentialReplaced;
import org.wardfleet.device.DeviceRetired;

import reactor.core.publisher.Mono;

/**
 * A device's message key ends with the credential it was issued to: deleted the moment the device is retired or
 * wiped, and when its certificate is replaced (the device asks for a new key under its new credential and gets
 * ECDH-ES to its enrolled key until then, so it can always read what it fetches). Keys live in storage, so one delete
 * ends them for every instance. A missed event (a crash between the device's write and this) is caught by
 * {@link MessageKeySweep}.
 */
@Component
class DeviceKeyEnding {

    private static final Logger log = LoggerFactory.getLogger(DeviceKeyEnding.class);

    private final MessageKeys keys;

    DeviceKeyEnding(MessageKeys keys) {
        this.keys = keys;
    }

    @EventListener
    Mono<Void> on(DeviceRetired retired) {
        return quietly(retired.deviceId(), keys.forget(retired.orgId(), List.of(retired.deviceId())));
    }

    @EventListener
    Mono<Void> on(DeviceCredentialReplaced replaced) {
        return quietly(replaced.deviceId(),
                keys.forgetIssuedBefore(replaced.orgId(), replaced.deviceId(), replaced.replacedAt()));
    }

    private static Mono<Void> quietly(String deviceId, Mono<Long> forget) {
        return forget
                .onErrorResume(e -> {
                    log.warn("Dropping device {}'s message key failed; the key sweep will: {}", deviceId,
                            e.toString());
                    return Mono.empty();
                })
                .then();
    }
}
