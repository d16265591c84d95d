package org.wardfleet.policy.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;
import org.wardfleet.policy.EffectivePolicy;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * After a publish or an assignment change: recompute every reachable device's effective policy and wake those whose
 * version changed (stream, else FCM), recording who was told. Requests for one organisation coalesce: changes made
 * while a fan-out runs are covered by one more run, not one run each. A fan-out cut short (restart) leaves devices
 * "pending"; they still converge, since the device SDK fetches its policy at every check-in.
 */
@Component
class PolicyFanOut {

    private static final Logger log = LoggerFactory.getLogger(PolicyFanOut.class);

    private final org.wardfleet.device.Devices devices;
    private final org.springframework.beans.factory.ObjectProvider<PolicySnapshots> snapshots;
    private final DevicePolicyStates states;
    private final DeviceWake wake;
    private final PolicyProperties properties;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    PolicyFanOut(org.wardfleet.device.Devices devices, org.springframework.beans.factory.ObjectProvider<PolicySnapshots> snapshots, DevicePolicyStates states,
            DeviceWake wake, PolicyProperties properties) {
        this.devices = devices;
        this.snapshots = snapshots;
        this.states = states;
        this.wake = wake;
        this.properties = properties;
    }

    /** Asks for a fan-out of this organisation's policies; returns at once. */
    void request(String orgId) {
        AtomicInteger pending = requests.computeIfAbsent(orgId, k -> new AtomicInteger());
        if (pending.getAndIncrement() == 0) {
            drain(orgId, pending);
        }
    }

    private void drain(String orgId, AtomicInteger pending) {
        int covered = pending.get();
        run(orgId)
                .timeout(properties.fanOutTimeout())
                .doOnError(e -> log.warn("Policy fan-out for organisation {} failed; devices will catch up at "
                        + "check-in: {}", orgId, e.toString()))
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    if (pending.addAndGet(-covered) > 0) {
                        drain(orgId, pending);
                    }
                })
                .subscribe();
    }

    /** The number of devices woken. */
    Mono<Integer> run(String orgId) {
        return snapshots.getObject().of(orgId).zipWith(states.all(orgId)).flatMap(t -> devices.reachable(orgId)
                .buffer(properties.fanOutBatch())
                .concatMap(batch -> wakeChanged(orgId, batch, t.getT1(), t.getT2()))
                .reduce(0, Integer::sum));
    }

    private Mono<Integer> wakeChanged(String orgId, List<Device> batch, PolicySnapshots.Snapshot snapshot,
            Map<String, DevicePolicyStates.State> known) {
        Map<String, String> versions = new HashMap<>();
        List<DeviceWake.WakeTarget> targets = new java.util.ArrayList<>();
        for (Device device : batch) {
            EffectivePolicy effective = snapshots.getObject().effective(snapshot, device);
            DevicePolicyStates.State state = known.get(device.id());
            boolean upToDate = state != null && (effective.version().equals(state.fetchedVer())
                    || effective.version().equals(state.notifiedVer()));
            if (!upToDate) {
                versions.put(device.id(), effective.version());
                targets.add(new DeviceWake.WakeTarget(device.id(), device.platform().wire(), device.pushTokens()));
            }
        }
        return wake.wake(orgId, targets, "policy").flatMap(report -> {
            Map<String, String> told = new HashMap<>();
            Map<String, String> via = new HashMap<>();
            report.viaStream().forEach(id -> {
                told.put(id, versions.get(id));
                via.put(id, "stream");
            });
            report.viaPush().forEach(id -> {
                told.put(id, versions.get(id));
                via.put(id, "fcm");
            });
            return states.notified(orgId, told, via).then(states.wakeFailed(orgId, report.failed()))
                    .thenReturn(told.size());
        });
    }
}
