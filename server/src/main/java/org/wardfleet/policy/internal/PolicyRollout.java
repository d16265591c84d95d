package org.wardfleet.policy.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.device.Devices;
import org.wardfleet.policy.DevicePolicies;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.EffectivePolicy;

import reactor.core.publisher.Mono;

/**
 * Effective policies per device, and a policy's rollout: for every reachable device the policy applies to, whether it
 * has the version it should have now — pending, notified, fetched, applied or failed — derived from the device's own
 * fetches and reports, never from "push sent".
 */
@Component
class PolicyRollout implements DevicePolicies {

    static final int MAX_FAILURES_LISTED = 200;

    private final Devices devices;
    private final PolicySnapshots snapshots;
    private final DevicePolicyStates states;
    private final PolicyCatalog catalog;

    PolicyRollout(Devices devices, PolicySnapshots snapshots, DevicePolicyStates states, PolicyCatalog catalog) {
        this.devices = devices;
        this.snapshots = snapshots;
        this.states = states;
        this.catalog = catalog;
    }

    @Override
    public Mono<EffectivePolicy> effective(String orgId, String deviceId) {
        return devices.find(orgId, deviceId)
                .flatMap(device -> snapshots.of(orgId).map(snapshot -> snapshots.effective(snapshot, device)));
    }

    @Override
    public Mono<EffectivePolicy> effective(Caller caller, String deviceId) {
        return Mono.defer(() -> effective(caller.requireAny(Role.ADMIN, Role.SECURITY).orgId(), deviceId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No device %s", deviceId)));
    }

    @Override
    public Mono<EffectivePolicy> effective(org.wardfleet.device.Device device) {
        return snapshots.of(device.orgId()).map(snapshot -> snapshots.effective(snapshot, device));
    }

    @Override
    public Mono<java.util.function.Function<org.wardfleet.device.Device, EffectivePolicy>> evaluator(String orgId) {
        return snapshots.of(orgId).map(snapshots::evaluator);
    }

    record Failure(String deviceId, String setting, String reason, Instant reportedAt) {
    }

    record Rollout(String policyId, String name, Integer publishedVersion, int devices, Map<String, Integer> counts,
            List<Failure> failures) {
    }

    Mono<Rollout> rollout(String orgId, String policyId) {
        return catalog.policy(orgId, policyId).flatMap(policy -> snapshots.of(orgId)
                .zipWith(states.all(orgId))
                .flatMap(t -> devices.reachable(orgId)
                        .map(snapshots.evaluator(t.getT1()))
                        .filter(e -> e.policies().stream().anyMatch(p -> p.id().equals(policyId)))
                        .collectList()
                        .map(effective -> summarise(policy, effective, t.getT2()))));
    }

    private static Rollout summarise(PolicyRepository.StoredPolicy policy, List<EffectivePolicy> effective,
            Map<String, DevicePolicyStates.State> states) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String state : List.of("pending", "notified", "fetched", "applied", "failed")) {
            counts.put(state, 0);
        }
        List<Failure> failures = new ArrayList<>();
        for (EffectivePolicy e : effective) {
            DevicePolicyStates.State s = states.get(e.deviceId());
            String state = stateOf(e.version(), s);
            counts.merge(state, 1, Integer::sum);
            if ("failed".equals(state)) {
                s.results().stream().filter(r -> "FAILED".equals(r.status()))
                        .filter(r -> failures.size() < MAX_FAILURES_LISTED)
                        .forEach(r -> failures.add(new Failure(e.deviceId(), r.setting(), r.reason(),
                                s.reportedAt())));
            }
        }
        return new Rollout(policy.id(), policy.name(), policy.publishedVersion(), effective.size(), counts, failures);
    }

    static String stateOf(String version, DevicePolicyStates.State s) {
        if (s == null) {
            return "pending";
        }
        if (version.equals(s.reportedVer())) {
            return s.reportedFailure() ? "failed" : "applied";
        }
        if (version.equals(s.fetchedVer())) {
            return "fetched";
        }
        return version.equals(s.notifiedVer()) ? "notified" : "pending";
    }
}
