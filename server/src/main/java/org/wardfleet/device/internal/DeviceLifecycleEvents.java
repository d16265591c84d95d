package org.wardfleet.device.internal;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.wardfleet.device.DeviceCredentialReplaced;
import org.wardfleet.device.DeviceRetired;
import org.wardfleet.device.DeviceState;

import reactor.core.publisher.Mono;

/**
 * Tells the other features, in this process, that a device's credentials ended ({@link DeviceRetired}) or changed
 * ({@link DeviceCredentialReplaced}), right after the write that made it so. Listeners return their own work as a
 * {@code Mono} that Spring subscribes to: a listener's failure is logged there and never fails the device's action.
 */
@Component
class DeviceLifecycleEvents {

    private final ApplicationEventPublisher events;
    private final Clock clock;

    DeviceLifecycleEvents(ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    Mono<Void> retired(String orgId, String deviceId, DeviceState state) {
        return Mono.fromRunnable(() -> events.publishEvent(new DeviceRetired(orgId, deviceId, state)));
    }

    Mono<Void> credentialReplaced(String orgId, String deviceId, String certificateSerial) {
        return Mono.fromRunnable(() -> events.publishEvent(
                new DeviceCredentialReplaced(orgId, deviceId, certificateSerial, clock.instant())));
    }
}
