package org.wardfleet.policy.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;
import org.wardfleet.policy.EffectivePolicy;

import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * An organisation's published policies and assignments, cached per instance and keyed by the organisation's policy
 * generation: each use costs one read of the generation, and a change made on any instance (which bumps it) is seen
 * on the next use.
 */
@Component
class PolicySnapshots {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> SETTINGS = new TypeReference<>() {
    };

    private final PolicyRepository repository;
    private final BaselineInstaller baselines;
    private final PolicySchema schema;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    record Entry(PolicyRepository.StoredAssignment assignment, String policyName, int version,
            Map<String, Object> settings) {
    }

    record Snapshot(long generation, List<Entry> entries) {
    }

    PolicySnapshots(PolicyRepository repository, BaselineInstaller baselines, PolicySchema schema) {
        this.repository = repository;
        this.baselines = baselines;
        this.schema = schema;
    }

    Mono<Snapshot> of(String orgId) {
        return baselines.ensure(orgId)
                .then(repository.generation(orgId))
                .flatMap(generation -> {
                    Snapshot cached = cache.get(orgId);
                    return cached != null && cached.generation() == generation ? Mono.just(cached)
                            : load(orgId, generation).doOnNext(s -> cache.put(orgId, s));
                });
    }

    /**
     * Effective policies for many devices of one organisation (a fan-out, a broadcast's conditional-access check):
     * devices that match the same assignments and share platform and ownership get the same settings, so each such
     * kind is computed once (settings, merge rules, the version hash) and handed out with the device's own id — a
     * hospital's 10,000 phones are a handful of kinds. For one snapshot only: a new generation needs a new evaluator.
     */
    java.util.function.Function<Device, EffectivePolicy> evaluator(Snapshot snapshot) {
        Map<List<Object>, EffectivePolicy> kinds = new ConcurrentHashMap<>();
        List<Entry> entries = snapshot.entries();
        return device -> {
            java.util.BitSet matching = new java.util.BitSet(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                PolicyRepository.StoredAssignment a = entries.get(i).assignment();
                if (EffectivePolicyCalculator.matches(a.targetType(), a.target(), device)) {
                    matching.set(i);
                }
            }
            EffectivePolicy kind = kinds.computeIfAbsent(List.of(device.platform(), device.ownership(), matching),
                    k -> shared(effective(snapshot, device)));
            return kind.deviceId().equals(device.id()) ? kind : new EffectivePolicy(device.id(), kind.version(),
                    kind.generation(), kind.settings(), kind.sources(), kind.excluded(), kind.policies());
        };
    }

    /** Handed to many devices: nobody may change one device's copy under the others. */
    private static EffectivePolicy shared(EffectivePolicy p) {
        return new EffectivePolicy(p.deviceId(), p.version(), p.generation(),
                java.util.Collections.unmodifiableMap(p.settings()), java.util.Collections.unmodifiableMap(
                        p.sources()), List.copyOf(p.excluded()), List.copyOf(p.policies()));
    }

    EffectivePolicy effective(Snapshot snapshot, Device device) {
        List<EffectivePolicyCalculator.Contribution> contributions = snapshot.entries().stream()
                .filter(e -> EffectivePolicyCalculator.matches(e.assignment().targetType(), e.assignment().target(),
                        device))
                .map(e -> new EffectivePolicyCalculator.Contribution(e.assignment().policyId(), e.policyName(),
                        e.version(), e.assignment().priority(),
                        EffectivePolicyCalculator.specificity(e.assignment().targetType()), e.settings()))
                .toList();
        return EffectivePolicyCalculator.compute(schema, device, snapshot.generation(), contributions);
    }

    private Mono<Snapshot> load(String orgId, long generation) {
        return repository.list(orgId).filter(p -> p.publishedVersion() != null).collectList()
                .flatMap(published -> repository.versionsById(orgId, PolicyRepository.versionIds(published))
                        .collectMap(v -> v.policyId())
                        .flatMap(versions -> repository.assignments(orgId)
                                .filter(a -> versions.containsKey(a.policyId()))
                                .map(a -> {
                                    PolicyRepository.StoredVersion v = versions.get(a.policyId());
                                    return new Entry(a, v.name(), v.version(), settings(v.settingsJson()));
                                })
                                .collectList()))
                .map(entries -> new Snapshot(generation, entries));
    }

    static Map<String, Object> settings(String json) {
        return JSON.readValue(json, SETTINGS);
    }
}
