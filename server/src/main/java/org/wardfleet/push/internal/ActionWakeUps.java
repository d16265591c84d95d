package org.wardfleet.push.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.device.ActionWakeUp;
import org.wardfleet.device.Device;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Mono;

/**
 * Remote actions (lock, wipe, retire) wake their device at once, with high priority: a stream event when it is
 * connected, an FCM data-only message otherwise. The reason word is {@code action} and nothing more, whatever the
 * action (no action type in a push payload).
 */
@Component
class ActionWakeUps implements ActionWakeUp {

    static final String REASON = "action";

    private final DeviceWake wake;

    ActionWakeUps(DeviceWake wake) {
        this.wake = wake;
    }

    @Override
    public Mono<Outcome> wake(Device device) {
        DeviceWake.WakeTarget target = new DeviceWake.WakeTarget(device.id(), device.platform().wire(),
                device.pushTokens());
        return wake.wake(device.orgId(), List.of(target), REASON, true).map(report -> {
            if (report.viaStream().contains(device.id())) {
                return new Outcome(Channel.STREAM, null);
            }
            if (report.viaPush().contains(device.id())) {
                return new Outcome(Channel.PUSH, null);
            }
            return Outcome.none(report.failed().getOrDefault(device.id(), "not-reached"));
        });
    }
}
