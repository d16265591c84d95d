package org.wardfleet.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.stereotype.Component;
import org.wardfleet.device.Devices;
import org.wardfleet.policy.DevicePolicies;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.EffectivePolicy;
import org.wardfleet.policy.PolicyRollouts;
import org.wardfleet.policy.Rollout;
import org.wardfleet.policy.SettingResult;

import reactor.core.publisher.Mono;

/**
 * Effective policies per device, and a policy's rollout: for every reachable device the policy applies to, whether it
 * has the version it should have now — pending, notified, fetched, applied, failed or not supported — and, setting by
 * setting, what each device reported; derived from the devices' own fetches and reports, never from "push sent".
 */
@Component
class PolicyRollout implements DevicePolicies, PolicyRollouts {

    static final int MAX_FAILURES_LISTED = 200;

    private final Devices devices;
    private final PolicySnapshots snapshots;
    private final DevicePolicyStates states;
    private final PolicyCatalog catalog;
    private final PolicyRepository repository;
    private final PolicySchema schema;

    PolicyRollout(Devices devices, PolicySnapshots snapshots, DevicePolicyStates states, PolicyCatalog catalog,
            PolicyRepository repository, PolicySchema schema) {
        this.repository = repository;
        this.schema = schema;
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

    @Override
    public Mono<Rollout> rollout(Caller caller, String policyId) {
        return Mono.defer(() -> rollout(caller.requireAny(Role.ADMIN, Role.SECURITY).orgId(), policyId));
    }

    @Override
    public Mono<Set<String>> devices(Caller caller, String policyId, String setting, SettingResult result) {
        return Mono.defer(() -> {
            String orgId = caller.requireAny(Role.ADMIN, Role.SECURITY).orgId();
            if (setting != null && schema.settings().stream().noneMatch(s -> s.path().equals(setting))) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("No setting %s", setting));
            }
            return applied(orgId, policyId).map(applied -> {
                Set<String> ids = new TreeSet<>();
                for (Applied a : applied.devices()) {
                    for (String path : setting == null ? applied.settings().keySet() : Set.of(setting)) {
                        if (ids.size() < Rollout.MAX_DEVICES && resultOf(a, path) == result) {
                            ids.add(a.effective().deviceId());
                        }
                    }
                }
                return (Set<String>) ids;
            });
        });
    }

    Mono<Rollout> rollout(String orgId, String policyId) {
        return applied(orgId, policyId).map(this::summarise);
    }

    /** One device the policy applies to, with what it should have now and what it last said. */
    private record Applied(EffectivePolicy effective, DevicePolicyStates.State state) {
    }

    /** The policy, its settings as published (else as latest), and every reachable device it applies to. */
    private record AppliedPolicy(PolicyRepository.StoredPolicy policy, Map<String, Object> settings,
            List<Applied> devices) {
    }

    private Mono<AppliedPolicy> applied(String orgId, String policyId) {
        return catalog.policy(orgId, policyId).flatMap(policy -> Mono.zip(snapshots.of(orgId), states.all(orgId),
                        ownSettings(policy))
                .flatMap(t -> devices.reachable(orgId)
                        .map(snapshots.evaluator(t.getT1()))
                        .filter(e -> e.policies().stream().anyMatch(p -> p.id().equals(policyId)))
                        .map(e -> new Applied(e, t.getT2().get(e.deviceId())))
                        .collectList()
                        .map(applied -> new AppliedPolicy(policy, t.getT3(), applied))));
    }

    private Mono<Map<String, Object>> ownSettings(PolicyRepository.StoredPolicy policy) {
        Integer shown = policy.publishedVersion() != null ? policy.publishedVersion()
                : policy.latestVersion() > 0 ? policy.latestVersion() : null;
        return shown == null ? Mono.just(Map.of()) : repository.version(policy.orgId(), policy.id(), shown)
                .map(v -> PolicySnapshots.settings(v.settingsJson())).defaultIfEmpty(Map.of());
    }

    private Rollout summarise(AppliedPolicy applied) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String state : List.of("pending", "notified", "fetched", "applied", "failed", "notSupported")) {
            counts.put(state, 0);
        }
        List<Rollout.Failure> failures = new ArrayList<>();
        for (Applied a : applied.devices()) {
            DevicePolicyStates.State s = a.state();
            String state = stateOf(a.effective().version(), s);
            counts.merge(state, 1, Integer::sum);
            if ("failed".equals(state)) {
                s.results().stream().filter(r -> "FAILED".equals(r.status()))
                        .filter(r -> failures.size() < MAX_FAILURES_LISTED)
                        .forEach(r -> failures.add(new Rollout.Failure(a.effective().deviceId(), r.setting(),
                                r.reason(), s.reportedAt())));
            }
        }
        List<Rollout.Setting> settings = new ArrayList<>();
        for (PolicySchema.Setting setting : schema.settings()) {
            if (!applied.settings().containsKey(setting.path())) {
                continue;
            }
            Map<String, Integer> byResult = new LinkedHashMap<>();
            for (SettingResult r : SettingResult.values()) {
                byResult.put(r.key(), 0);
            }
            applied.devices().forEach(a -> byResult.merge(resultOf(a, setting.path()).key(), 1, Integer::sum));
            settings.add(new Rollout.Setting(setting.path(), applied.settings().get(setting.path()),
                    setting.controls(), setting.description(), byResult));
        }
        PolicyRepository.StoredPolicy policy = applied.policy();
        return new Rollout(policy.id(), policy.name(), policy.publishedVersion(), applied.devices().size(), counts,
                failures, settings);
    }

    /** What one device did with one setting of its current policy; waiting until it reports on that version. */
    private static SettingResult resultOf(Applied a, String path) {
        if (!a.effective().settings().containsKey(path)) {
            return SettingResult.NOT_APPLICABLE;
        }
        DevicePolicyStates.State s = a.state();
        if (s == null || !a.effective().version().equals(s.reportedVer())) {
            return SettingResult.WAITING;
        }
        return s.results().stream().filter(r -> path.equals(r.setting())).findFirst()
                .map(r -> SettingResult.valueOf(r.status())).orElse(SettingResult.WAITING);
    }

    static String stateOf(String version, DevicePolicyStates.State s) {
        if (s == null) {
            return "pending";
        }
        if (version.equals(s.reportedVer())) {
            // a setting the device cannot enforce is not applied: its control is not in place there
            return s.reportedFailure() ? "failed" : s.reportedNotSupported() ? "notSupported" : "applied";
        }
        if (version.equals(s.fetchedVer())) {
            return "fetched";
        }
        return version.equals(s.notifiedVer()) ? "notified" : "pending";
    }
}
