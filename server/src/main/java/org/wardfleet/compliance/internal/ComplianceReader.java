package org.wardfleet.compliance.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.wardfleet.compliance.ComplianceDay;
import org.wardfleet.compliance.ComplianceHistory;
import org.wardfleet.compliance.ComplianceSummary;
import org.wardfleet.compliance.PendingEnforcement;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.compliance.DeviceCompliance;
import org.wardfleet.device.Device;
import org.wardfleet.device.Devices;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.DevicePolicies;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link DeviceCompliance}: compliance as IT reads it, "as of now" ({@link ComplianceStatus#now}). */
@Component
class ComplianceReader implements DeviceCompliance {

    static final int HISTORY = 50;
    static final int MAX_DAYS = 90;
    static final int MAX_STEPS = 200;

    private final Devices devices;
    private final DevicePolicies policies;
    private final ComplianceRepository repository;
    private final ComplianceStatus status;
    private final ComplianceSnapshots snapshots;
    private final EnforcementSteps steps;
    private final Clock clock;

    ComplianceReader(Devices devices, DevicePolicies policies, ComplianceRepository repository,
            ComplianceStatus status, ComplianceSnapshots snapshots, EnforcementSteps steps, Clock clock) {
        this.devices = devices;
        this.policies = policies;
        this.repository = repository;
        this.status = status;
        this.snapshots = snapshots;
        this.steps = steps;
        this.clock = clock;
    }

    @Override
    public Mono<ComplianceHistory> history(Caller caller, String deviceId) {
        return Mono.defer(() -> devices.find(reader(caller).orgId(), deviceId))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No device %s", deviceId)))
                .flatMap(device -> policies.effective(caller.orgId(), deviceId)
                        .zipWith(repository.current(caller.orgId(), deviceId).map(Optional::of)
                                .defaultIfEmpty(Optional.empty()))
                        .map(t -> status.now(device, t.getT1(), t.getT2().orElse(null))))
                .zipWith(repository.history(caller.orgId(), deviceId, HISTORY).collectList())
                .map(t -> new ComplianceHistory(deviceId, t.getT1().state(), t.getT1().reasons(), t.getT1().since(),
                        t.getT1().lastReportAt(), t.getT2()));
    }

    @Override
    public Mono<Map<String, ComplianceState>> states(Caller caller, Collection<Device> many) {
        return Mono.defer(() -> {
            String orgId = reader(caller).orgId();
            List<Device> own = many.stream().filter(d -> orgId.equals(d.orgId())).toList();
            if (own.isEmpty()) {
                return Mono.just(Map.<String, ComplianceState>of());
            }
            return Flux.fromIterable(own).flatMap(d -> repository.current(orgId, d.id()), 8)
                    .collectMap(ComplianceRepository.Current::deviceId)
                    .zipWith(policies.evaluator(orgId))
                    .map(t -> {
                        Map<String, ComplianceState> states = new HashMap<>();
                        own.forEach(d -> states.put(d.id(),
                                status.now(d, t.getT2().apply(d), t.getT1().get(d.id())).state()));
                        return states;
                    });
        });
    }

    @Override
    public Mono<Set<String>> devicesIn(Caller caller, ComplianceState state) {
        return Mono.defer(() -> {
            String orgId = reader(caller).orgId();
            return repository.all(orgId).collectMap(ComplianceRepository.Current::deviceId)
                    .zipWith(policies.evaluator(orgId))
                    .flatMap(t -> devices.reachable(orgId)
                            .filter(d -> status.now(d, t.getT2().apply(d), t.getT1().get(d.id())).state() == state)
                            .map(Device::id)
                            .collect(Collectors.toSet()));
        });
    }

    @Override
    public Mono<ComplianceSummary> summary(Caller caller) {
        return Mono.defer(() -> status.summary(reader(caller).orgId()));
    }

    @Override
    public Mono<List<ComplianceDay>> daily(Caller caller, int days) {
        return Mono.defer(() -> {
            String orgId = reader(caller).orgId();
            if (days < 1 || days > MAX_DAYS) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("days must be 1..%d", MAX_DAYS));
            }
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            List<LocalDate> wanted = today.minusDays(days - 1L).datesUntil(today).toList();
            return snapshots.find(orgId, wanted).zipWith(status.summary(orgId))
                    .map(t -> {
                        List<ComplianceDay> out = new ArrayList<>();
                        wanted.forEach(day -> out.add(new ComplianceDay(day, t.getT1().get(day))));
                        out.add(new ComplianceDay(today, t.getT2().byState()));
                        return out;
                    });
        });
    }

    @Override
    public Mono<PendingEnforcement> pendingEnforcement(Caller caller, int limit) {
        return Mono.defer(() -> {
            String orgId = reader(caller).orgId();
            if (limit < 1 || limit > MAX_STEPS) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("limit must be 1..%d", MAX_STEPS));
            }
            return steps.pending(orgId, limit)
                    .map(s -> new PendingEnforcement.Step(s.deviceId(), s.action(), s.dueAt(), s.index()))
                    .collectList()
                    .zipWith(steps.countPending(orgId))
                    .map(t -> new PendingEnforcement(t.getT1(), t.getT2()));
        });
    }

    private static Caller reader(Caller caller) {
        return caller.requireAny(Role.ADMIN, Role.SECURITY);
    }
}
