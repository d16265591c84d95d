package org.wardfleet.messaging.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.device.Devices;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Mono;

/**
 * Tells a message's sender that its receipts changed: their desktop sessions get a signal and their phones a wake-up,
 * and they refetch the status — nothing else is sent. Once per written batch of answers, not once per person: a
 * roll-call must not wake the sender's phone 10,000 times.
 */
@Component
class SenderNotices {

    private final UserSignals signals;
    private final Devices devices;
    private final DeviceWake wake;

    SenderNotices(UserSignals signals, Devices devices, DeviceWake wake) {
        this.signals = signals;
        this.devices = devices;
        this.wake = wake;
    }

    Mono<Void> receiptsChanged(MessageStore.Message m) {
        return signals.publish(List.of(new UserSignals.Signal(m.orgId(), m.senderId(), "receipt", m.id())))
                .thenMany(devices.reachableFor(m.orgId(), m.senderId()))
                .map(d -> new DeviceWake.WakeTarget(d.id(), d.platform().wire(), List.of()))
                .collectList()
                .flatMap(targets -> wake.wake(m.orgId(), targets, "receipt"))
                .then();
    }
}
