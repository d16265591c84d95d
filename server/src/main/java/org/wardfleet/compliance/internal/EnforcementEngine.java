package org.wardfleet.compliance.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.Devices;
import org.wardfleet.device.Ownership;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;
import org.wardfleet.policy.EffectivePolicy;
import org.wardfleet.push.DeviceWake;

import reactor.core.publisher.Mono;

/**
 * The graduated response. When a device becomes NON_COMPLIANT its policy's {@code compliance.ladder} is scheduled
 * as durable steps (due {@code afterHours} after the device became non-compliant); when it is COMPLIANT again the
 * pending steps are cancelled, a quarantine is lifted and the access block removed. Every instance runs due steps
 * every tick; the lease on each step makes it run once. Steps: NOTIFY_USER (timeline + stream/push wake-up),
 * NOTIFY_IT (security event), BLOCK_MESSAGING (access denied), QUARANTINE, LOCK, SELECTIVE_WIPE, WIPE (a
 * SELECTIVE_WIPE on personal devices), RETIRE.
 */
@Component
class EnforcementEngine implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    static final String ACTOR = "compliance-enforcement";

    final String instanceId = UUID.randomUUID().toString();
    private final EnforcementSteps steps;
    private final Devices devices;
    private final ComplianceRepository repository;
    private final SecurityEvents events;
    private final DeviceWake wake;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration tick;

    EnforcementEngine(JobFailures failures,
            EnforcementSteps steps, Devices devices, ComplianceRepository repository, SecurityEvents events,
            DeviceWake wake, AuditLog audit, Clock clock, @Value("${wardfleet.compliance.enforcement-tick:30s}") Duration tick) {
        this.items = new JobRun(name(), failures);
        this.steps = steps;
        this.devices = devices;
        this.repository = repository;
        this.events = events;
        this.wake = wake;
        this.audit = audit;
        this.clock = clock;
        this.tick = tick;
    }

    Mono<Void> stateChanged(Device device, EffectivePolicy policy, ComplianceState state, Instant since) {
        if (state == ComplianceState.NON_COMPLIANT) {
            return steps.schedule(ladder(device, policy, since));
        }
        if (state == ComplianceState.COMPLIANT) {
            return steps.cancelPending(device.orgId(), device.id(), clock.instant())
                    .then(repository.blocked(device.orgId(), device.id(), false))
                    .then(devices.release(device.orgId(), device.id(), "compliant again"))
                    .then();
        }
        return Mono.empty();
    }

    static List<EnforcementSteps.Step> ladder(Device device, EffectivePolicy policy, Instant since) {
        List<EnforcementSteps.Step> ladder = new ArrayList<>();
        if (!(policy.settings().get("compliance.ladder") instanceof List<?> rungs)) {
            return ladder;
        }
        String episode = Long.toString(since.toEpochMilli());
        for (int i = 0; i < rungs.size(); i++) {
            Map<?, ?> rung = (Map<?, ?>) rungs.get(i);
            long hours = ((Number) rung.get("afterHours")).longValue();
            ladder.add(new EnforcementSteps.Step(device.id() + ":" + episode + ":" + i, device.orgId(), device.id(),
                    episode, i, String.valueOf(rung.get("action")), since.plus(Duration.ofHours(hours)), "PENDING",
                    0));
        }
        return ladder;
    }

    /**
     * Runs every step due at {@code now} that this instance can claim; returns how many it ran. A step that fails is
     * logged, counted and left claimed — retried once its lease runs out — and never stops the others.
     */
    Mono<Integer> runDue(Instant now) {
        return steps.due(now, 200)
                .concatMap(step -> items.isolate("step " + step.id(), steps.claim(step.id(), instanceId, now)
                        .flatMap(claimed -> execute(claimed)
                                .flatMap(outcome -> steps.done(claimed.id(), instanceId, now, outcome)
                                        .thenReturn(1)))))
                .reduce(0, Integer::sum);
    }

    private Mono<String> execute(EnforcementSteps.Step step) {
        return devices.find(step.orgId(), step.deviceId())
                .flatMap(device -> act(device, step.action())
                        .flatMap(outcome -> devices.recordEvent(step.orgId(), step.deviceId(),
                                        "enforcement." + step.action().toLowerCase(java.util.Locale.ROOT), outcome)
                                .then(audit.record(AuditEvent.of(step.orgId(), Actor.system(), "compliance.enforce",
                                        step.deviceId(), Outcome.SUCCESS).withDetail("action", step.action())
                                        .withDetail("step", step.id())))
                                .thenReturn(outcome)))
                .defaultIfEmpty("device gone");
    }

    private Mono<String> act(Device device, String action) {
        switch (action) {
            case "NOTIFY_USER":
                // the app shows the reasons after it syncs; the wake-up carries none of them
                return wake.wake(device.orgId(), List.of(new DeviceWake.WakeTarget(device.id(),
                        device.platform().wire(), device.pushTokens())), "compliance")
                        .thenReturn("user told to fix the device");
            case "NOTIFY_IT":
                return events.publish(device.orgId(), "compliance.escalated", device.id(),
                        Map.of("ownership", device.ownership().name())).thenReturn("IT notified");
            case "BLOCK_MESSAGING":
                return repository.blocked(device.orgId(), device.id(), true).thenReturn("access to PHI blocked");
            case "QUARANTINE":
                return devices.quarantine(device.orgId(), device.id(), "non-compliant")
                        .map(done -> done ? "quarantined" : "not active, left as is");
            case "WIPE":
                ActionType wipe = device.ownership() == Ownership.BYOD ? ActionType.SELECTIVE_WIPE : ActionType.WIPE;
                return devices.requestAction(device.orgId(), device.id(), wipe, ACTOR).map(id -> wipe + " " + id);
            case "LOCK":
            case "SELECTIVE_WIPE":
            case "RETIRE":
                return devices.requestAction(device.orgId(), device.id(), ActionType.valueOf(action), ACTOR)
                        .map(id -> action + " " + id);
            default:
                return Mono.just("unknown action " + action + " skipped");
        }
    }

    @Override
    public String name() {
        return "enforcement-engine";
    }

    @Override
    public java.time.Duration interval() {
        return tick;
    }

    @Override
    public Mono<?> run() {
        return runDue(clock.instant());
    }
}
