package org.wardfleet.compliance.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.device.Devices;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;
import org.wardfleet.policy.DevicePolicies;

import reactor.core.publisher.Mono;

/**
 * A device that stops reporting must not stay "compliant": every tick, devices whose last report is older than
 * their policy's {@code checkIn.attestationMaxAgeHours} become NON_COMPLIANT (ATTESTATION_STALE), which starts their
 * ladder like any other non-compliance. The shortest possible window is 1 hour, so younger reports are not read.
 */
@Component
class StalenessSweep implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    private final ComplianceRepository repository;
    private final ComplianceStatus status;
    private final EnforcementEngine enforcement;
    private final Devices devices;
    private final DevicePolicies policies;
    private final SecurityEvents events;
    private final Clock clock;
    private final Duration tick;

    StalenessSweep(JobFailures failures,
            ComplianceRepository repository, ComplianceStatus status, EnforcementEngine enforcement,
            Devices devices, DevicePolicies policies, SecurityEvents events, Clock clock,
            @Value("${wardfleet.compliance.enforcement-tick:30s}") Duration tick) {
        this.items = new JobRun(name(), failures);
        this.repository = repository;
        this.status = status;
        this.enforcement = enforcement;
        this.devices = devices;
        this.policies = policies;
        this.events = events;
        this.clock = clock;
        this.tick = tick;
    }

    /** Marks the devices stale at {@code now}; returns how many. One device's failure skips that device only. */
    Mono<Integer> sweep(Instant now) {
        return repository.reportedBefore(now.minus(Duration.ofHours(1)))
                .concatMap(current -> items.isolate("device " + current.deviceId(), devices.find(current.orgId(),
                        current.deviceId())
                        .flatMap(device -> policies.effective(device.orgId(), device.id())
                                .flatMap(policy -> {
                                    ComplianceStatus.Now judged = status.now(device, policy, current, now);
                                    if (judged.state() != ComplianceState.NON_COMPLIANT) {
                                        return Mono.just(0);
                                    }
                                    return repository.save(new ComplianceRepository.Current(device.id(),
                                                    device.orgId(), ComplianceState.NON_COMPLIANT, judged.reasons(),
                                                    judged.since(), current.lastReportAt(),
                                                    current.evidenceStrength(), current.policyVersion(), false))
                                            .then(devices.recordEvent(device.orgId(), device.id(),
                                                    "compliance.non_compliant", "[ATTESTATION_STALE]"))
                                            .then(events.publish(device.orgId(), "compliance.stale", device.id(),
                                                    Map.of("lastReportAt", current.lastReportAt().toString())))
                                            .then(enforcement.stateChanged(device, policy,
                                                    ComplianceState.NON_COMPLIANT, judged.since()))
                                            .thenReturn(1);
                                }))))
                .reduce(0, Integer::sum);
    }

    @Override
    public String name() {
        return "staleness-sweep";
    }

    @Override
    public java.time.Duration interval() {
        return tick;
    }

    @Override
    public Mono<?> run() {
        return sweep(clock.instant());
    }
}
