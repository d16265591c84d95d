package org.wardfleet.policy.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.Devices;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.PolicyProblems;

import reactor.core.publisher.Mono;

/** Assigns policies to an ownership model, a platform, a group or one device, with a priority; and removes them. */
@Component
class PolicyAssigner {

    static final Set<String> OWNERSHIP = Set.of("BYOD", "COPE", "SHARED");
    static final Set<String> PLATFORMS = Set.of("android", "ios");

    private final PolicyRepository repository;
    private final PolicyCatalog catalog;
    private final Devices devices;
    private final AuditLog audit;
    private final PolicyFanOut fanOut;
    private final Clock clock;

    PolicyAssigner(PolicyRepository repository, PolicyCatalog catalog, Devices devices, AuditLog audit,
            PolicyFanOut fanOut, Clock clock) {
        this.repository = repository;
        this.catalog = catalog;
        this.devices = devices;
        this.audit = audit;
        this.fanOut = fanOut;
        this.clock = clock;
    }

    record Target(String type, String value) {
    }

    Mono<PolicyRepository.StoredAssignment> assign(String orgId, Actor actor, String policyId, Target target,
            int priority) {
        return catalog.policy(orgId, policyId)
                .then(checked(orgId, target))
                .flatMap(t -> repository.insertAssignment(new PolicyRepository.StoredAssignment(
                        UUID.randomUUID().toString(), orgId, policyId, t.type(), t.value(), priority,
                        clock.instant().truncatedTo(ChronoUnit.MILLIS))))
                .onErrorResume(Documents::isDuplicateKey, taken -> repository.assignment(orgId, policyId,
                        target.type(), target.value()).flatMap(existing -> Mono.error(ProblemType.CONFLICT
                        .exception("The policy is already assigned to %s %s", target.type(), target.value())
                        .with("assignmentId", existing.id()))))
                .flatMap(a -> changed(orgId, actor, "policy.assign", policyId, a.targetType() + ":" + a.target())
                        .thenReturn(a));
    }

    Mono<Void> unassign(String orgId, Actor actor, String policyId, String assignmentId) {
        return repository.deleteAssignment(orgId, policyId, assignmentId)
                .flatMap(deleted -> deleted ? changed(orgId, actor, "policy.unassign", policyId, assignmentId)
                        : Mono.error(ProblemType.NOT_FOUND.exception("No assignment %s", assignmentId)));
    }

    private Mono<Void> changed(String orgId, Actor actor, String action, String policyId, String detail) {
        return repository.bumpGeneration(orgId)
                .then(audit.record(AuditEvent.of(orgId, actor, action, policyId, Outcome.SUCCESS)
                        .withDetail("target", detail)))
                .doOnSuccess(done -> fanOut.request(orgId));
    }

    private Mono<Target> checked(String orgId, Target target) {
        switch (target.type()) {
            case "ownership":
                return OWNERSHIP.contains(target.value()) ? Mono.just(target) : invalid("ownership must be one of "
                        + OWNERSHIP);
            case "platform":
                return PLATFORMS.contains(target.value()) ? Mono.just(target) : invalid("platform must be one of "
                        + PLATFORMS);
            case "group":
                return target.value().matches("[A-Za-z0-9 ._-]{1,64}") ? Mono.just(target)
                        : invalid("group: 1-64 letters, digits, space, '.', '_' or '-'");
            case "deviceId":
                return devices.find(orgId, target.value()).map(d -> target)
                        .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No device %s",
                                target.value())));
            default:
                return invalid("unknown target " + target.type());
        }
    }

    private static <T> Mono<T> invalid(String detail) {
        return Mono.error(PolicyProblems.ASSIGNMENT_INVALID.exception(detail));
    }
}
