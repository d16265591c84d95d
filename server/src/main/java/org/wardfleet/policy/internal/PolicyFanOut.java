package org.wardfleet.policy.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;
import org.wardfleet.policy.EffectivePolicy;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Flux;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * After a publish or an assignment change: recompute every reachable device's effective policy and wake those whose
 * version changed (stream, else FCM), recording who was told. Requests for one organisation coalesce: changes made
 * while a fan-out runs are covered by one more run, not one run each. A fan-out cut short (restart) leaves devices
 * "pending"; they still converge, since the device SDK fetches its policy at every check-in.
 */
@Component
class PolicyFanOut implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PolicyFanOut.class);

    private final org.wardfleet.device.Devices devices;
    private final org.springframework.beans.factory.ObjectProvider<PolicySnapshots> snapshots;
    private final DevicePolicyStates states;
    private final DeviceWake wake;
    private final PolicyProperties properties;
    private volatile Sinks.Many<String> requests;
    private volatile Disposable worker;

    PolicyFanOut(org.wardfleet.device.Devices devices, org.springframework.beans.factory.ObjectProvider<PolicySnapshots> snapshots, DevicePolicyStates states,
            DeviceWake wake, PolicyProperties properties) {
        this.devices = devices;
        this.snapshots = snapshots;
        this.states = states;
        this.wake = wake;
        this.properties = properties;
    }

    /** Asks for a fan-out of this organisation's policies; returns at once (nothing happens while stopped). */
    void request(String orgId) {
        Sinks.Many<String> sink = requests;
        if (sink != null) {
            sink.emitNext(orgId, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }
    }

    /**
     * One worker per organisation, one run at a time: while a run is in progress, further requests collapse into
     * the latest, so a burst of changes costs one more run, not one each.
     */
    @Override
    public void start() {
        Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
        worker = sink.asFlux()
                .groupBy(orgId -> orgId)
                .flatMap(org -> org.onBackpressureLatest().concatMap(this::runSafely, 1), Integer.MAX_VALUE)
                .subscribe();
        requests = sink;
    }

    private Mono<Integer> runSafely(String orgId) {
        return run(orgId)
                .timeout(properties.fanOutTimeout())
                .doOnError(e -> log.warn("Policy fan-out for organisation {} failed; devices will catch up at "
                        + "check-in: {}", orgId, e.toString()))
                .onErrorResume(e -> Mono.empty());
    }

    @Override
    public void stop() {
        requests = null;
        Disposable running = worker;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null && !worker.isDisposed();
    }

    /** The number of devices woken. */
    Mono<Integer> run(String orgId) {
        return snapshots.getObject().of(orgId).zipWith(states.all(orgId))
                .flatMap(t -> run(orgId, snapshots.getObject().evaluator(t.getT1()), t.getT2()));
    }

    private Mono<Integer> run(String orgId, java.util.function.Function<Device, EffectivePolicy> effectiveOf,
            Map<String, DevicePolicyStates.State> known) {
        return devices.reachable(orgId)
                .buffer(properties.fanOutBatch())
                .concatMap(batch -> wakeChanged(orgId, batch, effectiveOf, known))
                .reduce(0, Integer::sum);
    }

    private Mono<Integer> wakeChanged(String orgId, List<Device> batch,
            java.util.function.Function<Device, EffectivePolicy> effectiveOf,
            Map<String, DevicePolicyStates.State> known) {
        Map<String, String> versions = new HashMap<>();
        List<DeviceWake.WakeTarget> targets = new java.util.ArrayList<>();
        for (Device device : batch) {
            EffectivePolicy effective = effectiveOf.apply(device);
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
