package org.wardfleet.push.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.wardfleet.device.Devices;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stream first, FCM for the rest: devices with a fresh presence entry get a stream event (directly when the stream
 * is on this instance, through {@code device_signals} when it is on another); all others get an FCM wake-up, and
 * tokens FCM calls dead are removed from the device.
 */
@Component
class WakeService implements DeviceWake {

    private final Presence presence;
    private final StreamConnections connections;
    private final StreamSignals signals;
    private final FcmSender fcm;
    private final Devices devices;

    WakeService(Presence presence, StreamConnections connections, StreamSignals signals, FcmSender fcm,
            Devices devices) {
        this.presence = presence;
        this.connections = connections;
        this.signals = signals;
        this.fcm = fcm;
        this.devices = devices;
    }

    @Override
    public Mono<WakeReport> wake(String orgId, List<WakeTarget> targets, String reason, boolean urgent) {
        if (targets.isEmpty()) {
            return Mono.just(new WakeReport(Set.of(), Set.of(), Map.of()));
        }
        String event = DeviceStreamHandler.event(Map.of("type", "sync", "reason", reason));
        return presence.holders(orgId, targets.stream().map(WakeTarget::deviceId).toList())
                .flatMap(holders -> {
                    Set<String> viaStream = new LinkedHashSet<>();
                    List<StreamSignals.Signal> remote = new ArrayList<>();
                    List<WakeTarget> rest = new ArrayList<>();
                    for (WakeTarget t : targets) {
                        String holder = holders.get(t.deviceId());
                        if (holder == null) {
                            rest.add(t);
                        } else if (!holder.equals(presence.instanceId)) {
                            remote.add(new StreamSignals.Signal(orgId, t.deviceId(), holder, event));
                            viaStream.add(t.deviceId());
                        } else if (connections.send(t.deviceId(), event)) {
                            viaStream.add(t.deviceId());
                        } else {
                            rest.add(t); // presence said here, but the stream just closed
                        }
                    }
                    return signals.send(remote)
                            .then(fcm.send(rest, reason, urgent))
                            .flatMap(outcome -> forgetDeadTokens(orgId, outcome.deadTokens()).thenReturn(
                                    new WakeReport(viaStream, outcome.accepted(),
                                            new LinkedHashMap<>(outcome.failed()))));
                });
    }

    private Mono<Void> forgetDeadTokens(String orgId, Map<String, List<String>> dead) {
        return Flux.fromIterable(dead.entrySet())
                .concatMap(e -> Flux.fromIterable(e.getValue())
                        .concatMap(token -> devices.forgetPushToken(orgId, e.getKey(), token)))
                .then();
    }
}
