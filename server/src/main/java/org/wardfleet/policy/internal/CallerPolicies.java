package org.wardfleet.policy.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.Policies;
import org.wardfleet.policy.PolicyDetail;
import org.wardfleet.policy.PolicyError;
import org.wardfleet.policy.PolicySummary;
import org.wardfleet.policy.PolicyVersion;
import org.wardfleet.policy.SubmittedPolicy;

import reactor.core.publisher.Mono;

/** {@link Policies} for a signed-in person: the role check, then the catalogue, assigner and repository. */
@Component
class CallerPolicies implements Policies {

    private final PolicyCatalog catalog;
    private final PolicyAssigner assigner;
    private final PolicyRepository repository;
    private final PolicySchema schema;
    private final PolicyProperties properties;
    private final BaselineInstaller baselines;

    CallerPolicies(PolicyCatalog catalog, PolicyAssigner assigner, PolicyRepository repository, PolicySchema schema,
            PolicyProperties properties, BaselineInstaller baselines) {
        this.catalog = catalog;
        this.assigner = assigner;
        this.repository = repository;
        this.schema = schema;
        this.properties = properties;
        this.baselines = baselines;
    }

    @Override
    public Mono<List<PolicySummary>> list(Caller caller) {
        return Mono.defer(() -> {
            String orgId = caller.requireAny(Role.ADMIN, Role.SECURITY).orgId();
            return baselines.ensure(orgId).thenMany(repository.list(orgId)).map(CallerPolicies::summary)
                    .collectList();
        });
    }

    @Override
    public Mono<PolicyDetail> detail(Caller caller, String policyId) {
        return Mono.defer(() -> {
            String orgId = caller.requireAny(Role.ADMIN, Role.SECURITY).orgId();
            return catalog.policy(orgId, policyId).flatMap(p -> repository.versions(orgId, policyId)
                    .map(v -> new PolicyDetail.VersionSummary(v.version(), v.hash(), v.createdAt(), v.createdBy(),
                            v.publishedAt()))
                    .collectList()
                    .zipWith(repository.assignments(orgId, policyId).map(CallerPolicies::assignment).collectList())
                    .map(t -> new PolicyDetail(p.id(), p.name(), p.latestVersion(), p.publishedVersion(), p.source(),
                            t.getT1(), t.getT2())));
        });
    }

    @Override
    public Mono<PolicyVersion> version(Caller caller, String policyId, int version) {
        return Mono.defer(() -> repository.version(caller.requireAny(Role.ADMIN, Role.SECURITY).orgId(), policyId,
                        version))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No version %d of policy %s",
                        version, policyId)))
                .map(v -> new PolicyVersion(v.policyId(), v.name(), v.version(), v.description(), v.hash(),
                        EffectivePolicyCalculator.nested(PolicySnapshots.settings(v.settingsJson())),
                        v.sourceText(), v.createdAt(), v.createdBy(), v.publishedAt()));
    }

    @Override
    public Mono<List<PolicyError>> check(Caller caller, String document) {
        return Mono.fromCallable(() -> {
            caller.requireAny(Role.ADMIN, Role.SECURITY);
            limit(document);
            try {
                schema.parse(document == null ? "" : document);
                return List.<PolicyError>of();
            } catch (PolicySchema.Invalid invalid) {
                return invalid.problems().stream().map(p -> new PolicyError(p.path(), p.line(), p.message()))
                        .toList();
            }
        });
    }

    @Override
    public Mono<SubmittedPolicy> submit(Caller caller, String policyId, String document) {
        return Mono.defer(() -> {
            String orgId = caller.requireAny(Role.ADMIN).orgId();
            limit(document);
            // the shipped baselines first, so an administrator's policy never takes a baseline's name by accident
            return baselines.ensure(orgId)
                    .then(catalog.submit(orgId, Actor.user(caller.userId()), document == null ? "" : document, "api",
                            policyId))
                    .map(s -> new SubmittedPolicy(s.policy().id(), s.policy().name(), s.version().version(),
                            s.version().hash(), s.created(), s.policy().publishedVersion()));
        });
    }

    @Override
    public Mono<PolicySummary> publish(Caller caller, String policyId, Integer version) {
        return Mono.defer(() -> catalog.publish(caller.requireAny(Role.ADMIN).orgId(), Actor.user(caller.userId()),
                policyId, version)).map(CallerPolicies::summary);
    }

    @Override
    public Mono<PolicyDetail.Assignment> assign(Caller caller, String policyId, String targetType, String target,
            int priority) {
        return Mono.defer(() -> assigner.assign(caller.requireAny(Role.ADMIN).orgId(), Actor.user(caller.userId()),
                policyId, new PolicyAssigner.Target(targetType, target), priority)).map(CallerPolicies::assignment);
    }

    @Override
    public Mono<Void> unassign(Caller caller, String policyId, String assignmentId) {
        return Mono.defer(() -> assigner.unassign(caller.requireAny(Role.ADMIN).orgId(), Actor.user(caller.userId()),
                policyId, assignmentId));
    }

    private void limit(String document) {
        if (document != null && document.length() > properties.maxDocumentSize()) {
            throw ProblemType.PAYLOAD_TOO_LARGE.exception("A policy document may have at most %d characters",
                    properties.maxDocumentSize());
        }
    }

    private static PolicySummary summary(PolicyRepository.StoredPolicy p) {
        return new PolicySummary(p.id(), p.name(), p.latestVersion(), p.publishedVersion(), p.source(),
                p.createdAt());
    }

    private static PolicyDetail.Assignment assignment(PolicyRepository.StoredAssignment a) {
        return new PolicyDetail.Assignment(a.id(), a.policyId(), a.targetType(), a.target(), a.priority(),
                a.createdAt());
    }
}
