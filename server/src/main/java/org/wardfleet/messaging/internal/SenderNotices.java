package org.wardfleet.messaging.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.device.Devices;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Mono;

/**
 * Tells a message's sender that its receipts changed (and a page's fellow recipients' desktop sessions, see
 * {@link #FELLOW_RECIPIENTS}): their desktop sessions get a signal and the sender's phones a wake-up,
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

    /**
     * A page's recipients are few (a step's people); they hear it too, so that every screen showing the alert learns
     * at once that someone acknowledged it. A broadcast's thousands do not: their answers are their own.
     */
    static final int FELLOW_RECIPIENTS = 50;

    Mono<Void> receiptsChanged(Message m) {
        List<UserSignals.Signal> told = new java.util.ArrayList<>();
        told.add(new UserSignals.Signal(m.orgId(), m.senderId(), "receipt", m.id()));
        if (m.requiresAck() && m.recipients().size() <= FELLOW_RECIPIENTS) {
            m.recipients().keySet().stream().filter(u -> !u.equals(m.senderId()))
                    .forEach(u -> told.add(new UserSignals.Signal(m.orgId(), u, "receipt", m.id())));
        }
        return signals.publish(told)
                .thenMany(devices.reachableFor(m.orgId(), m.senderId()))
                .map(d -> new DeviceWake.WakeTarget(d.id(), d.platform().wire(), List.of()))
                .collectList()
                .flatMap(targets -> wake.wake(m.orgId(), targets, "receipt"))
                .then();
    }
}
