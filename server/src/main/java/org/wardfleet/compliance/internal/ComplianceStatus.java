package org.wardfleet.compliance.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.compliance.ComplianceSummary;
import org.wardfleet.compliance.DeviceAccess;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Devices;
import org.wardfleet.policy.DevicePolicies;
import org.wardfleet.policy.EffectivePolicy;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A device's compliance as of now: the last evaluation, unless it has gone stale (no report within the policy's
 * {@code checkIn.attestationMaxAgeHours}: NON_COMPLIANT, ATTESTATION_STALE) or never came (UNKNOWN while a new
 * device is inside that window, then ATTESTATION_MISSING). Access is allowed to an ACTIVE device that is compliant,
 * or non-compliant only for reasons the policy grants a grace period and still inside it.
 */
@Component
class ComplianceStatus implements DeviceAccess {

    static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

    private final Devices devices;
    private final DevicePolicies policies;
    private final ComplianceRepository repository;
    private final Clock clock;

    ComplianceStatus(Devices devices, DevicePolicies policies, ComplianceRepository repository, Clock clock) {
        this.devices = devices;
        this.policies = policies;
        this.repository = repository;
        this.clock = clock;
    }

    record Now(ComplianceState state, List<Map<String, Object>> reasons, Instant since, Instant lastReportAt,
            boolean blocked) {
    }

    @Override
    public Mono<Decision> decide(String orgId, String deviceId) {
        return devices.find(orgId, deviceId)
                .flatMap(device -> decideAll(orgId, List.of(device)).mapNotNull(all -> all.get(deviceId)));
    }

    @Override
    public Mono<Map<String, Decision>> decideAll(String orgId, List<Device> many) {
        if (many.isEmpty()) {
            return Mono.just(Map.of());
        }
        // a large audience: one pass over the organisation's records; a few devices: a key lookup each
        Flux<ComplianceRepository.Current> records = many.size() > 50 ? repository.all(orgId)
                : Flux.fromIterable(many).flatMap(d -> repository.current(orgId, d.id()), 8);
        return records.collectMap(ComplianceRepository.Current::deviceId)
                .zipWith(policies.evaluator(orgId))
                .map(t -> {
                    Map<String, Decision> out = new java.util.HashMap<>();
                    for (Device device : many) {
                        if (!orgId.equals(device.orgId())) {
                            continue;
                        }
                        EffectivePolicy policy = t.getT2().apply(device);
                        out.put(device.id(), decide(device, policy, now(device, policy, t.getT1().get(device.id()))));
                    }
                    return out;
                });
    }

    Decision decide(Device device, EffectivePolicy policy, Now now) {
        List<Map<String, Object>> reasons = new ArrayList<>(now.reasons());
        if (device.state() != DeviceState.ACTIVE) {
            reasons.add(0, ComplianceEvaluator.reason("DEVICE_" + device.state().name()));
            return new Decision(false, now.state(), reasons);
        }
        if (now.blocked()) {
            reasons.add(0, ComplianceEvaluator.reason("ACCESS_BLOCKED"));
            return new Decision(false, now.state(), reasons);
        }
        if (now.state() == ComplianceState.COMPLIANT) {
            return new Decision(true, now.state(), reasons);
        }
        List<?> noGrace = policy.settings().get("compliance.noGrace") instanceof List<?> l ? l : List.of();
        long graceHours = policy.settings().get("compliance.graceHours") instanceof Number n ? n.longValue() : 0;
        boolean immediate = reasons.stream().anyMatch(r -> ComplianceEvaluator.noGrace(r, noGrace));
        Instant graceEnds = now.since().plus(Duration.ofHours(graceHours));
        boolean inGrace = !immediate && clock.instant().isBefore(graceEnds);
        if (inGrace) {
            reasons.add(ComplianceEvaluator.reason("IN_GRACE_PERIOD", "until", graceEnds.toString()));
        }
        return new Decision(inGrace, now.state(), reasons);
    }

    Now now(Device device, EffectivePolicy policy, ComplianceRepository.Current current) {
        return now(device, policy, current, clock.instant());
    }

    Now now(Device device, EffectivePolicy policy, ComplianceRepository.Current current, Instant now) {
        Duration maxAge = policy.settings().get("checkIn.attestationMaxAgeHours") instanceof Number n
                ? Duration.ofHours(n.longValue()) : DEFAULT_MAX_AGE;
        if (current == null) {
            Instant due = device.enrolledAt().plus(maxAge);
            return now.isBefore(due)
                    ? new Now(ComplianceState.UNKNOWN, List.of(ComplianceEvaluator.reason("ATTESTATION_PENDING")),
                            device.enrolledAt(), null, false)
                    : new Now(ComplianceState.NON_COMPLIANT, List.of(ComplianceEvaluator.reason(
                            "ATTESTATION_MISSING")), due, null, false);
        }
        Instant staleAt = current.lastReportAt().plus(maxAge);
        if (!now.isBefore(staleAt)) {
            return new Now(ComplianceState.NON_COMPLIANT, List.of(ComplianceEvaluator.reason("ATTESTATION_STALE",
                    "lastReportAt", current.lastReportAt().toString(), "maxAgeHours", maxAge.toHours())),
                    staleAt, current.lastReportAt(), current.blocked());
        }
        return new Now(current.state(), current.reasons(), current.since(), current.lastReportAt(),
                current.blocked());
    }

    Mono<ComplianceSummary> summary(String orgId) {
        return repository.all(orgId).collectMap(ComplianceRepository.Current::deviceId)
                .zipWith(policies.evaluator(orgId))
                .flatMap(t -> devices.reachable(orgId)
                        .map(device -> Map.entry(device, now(device, t.getT2().apply(device),
                                t.getT1().get(device.id()))))
                        .collectList())
                .map(ComplianceStatus::summarise);
    }

    private static ComplianceSummary summarise(List<Map.Entry<Device, Now>> entries) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (ComplianceState s : ComplianceState.values()) {
            byState.put(s.name(), 0);
        }
        Map<String, Integer> byReason = new TreeMap<>();
        Map<String, Map<String, Integer>> byOwnership = new TreeMap<>();
        Map<String, Map<String, Integer>> byPlatform = new TreeMap<>();
        for (Map.Entry<Device, Now> e : entries) {
            String state = e.getValue().state().name();
            byState.merge(state, 1, Integer::sum);
            e.getValue().reasons().forEach(r -> byReason.merge(String.valueOf(r.get("code")), 1, Integer::sum));
            byOwnership.computeIfAbsent(e.getKey().ownership().name(), k -> new TreeMap<>()).merge(state, 1,
                    Integer::sum);
            byPlatform.computeIfAbsent(e.getKey().platform().wire(), k -> new TreeMap<>()).merge(state, 1,
                    Integer::sum);
        }
        return new ComplianceSummary(entries.size(), byState, byReason, byOwnership, byPlatform);
    }
}
