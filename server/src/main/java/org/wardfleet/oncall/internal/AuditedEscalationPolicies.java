package org.wardfleet.oncall.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.oncall.EscalationPolicies;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * {@link EscalationPolicies} audited: a policy created, replaced or deleted is recorded once {@link Policies} has
 * written it, and the answer waits for the entry ({@link AuditLog#after}). Reads pass through.
 */
@Primary
@Component
class AuditedEscalationPolicies implements EscalationPolicies {

    private final EscalationPolicies policies;
    private final AuditLog audit;

    @Autowired
    AuditedEscalationPolicies(Policies policies, AuditLog audit) {
        this((EscalationPolicies) policies, audit);
    }

    AuditedEscalationPolicies(EscalationPolicies policies, AuditLog audit) {
        this.policies = policies;
        this.audit = audit;
    }

    @Override
    public Mono<PolicyPage> list(Caller caller, int page, int size) {
        return policies.list(caller, page, size);
    }

    @Override
    public Mono<PolicyView> get(Caller caller, String id) {
        return policies.get(caller, id);
    }

    @Override
    public Mono<String> create(Caller caller, PolicyDraft draft) {
        return audit.after(policies.create(caller, draft), id -> entry(caller, "escalation.policy.create", id));
    }

    @Override
    public Mono<PolicyView> replace(Caller caller, String id, PolicyDraft draft) {
        return audit.after(policies.replace(caller, id, draft), p -> entry(caller, "escalation.policy.change", id));
    }

    @Override
    public Mono<Void> delete(Caller caller, String id) {
        return audit.afterCompletion(policies.delete(caller, id), () -> entry(caller, "escalation.policy.delete", id));
    }

    private static AuditEvent entry(Caller caller, String action, String policyId) {
        return AuditEvent.of(caller.orgId(), Actor.user(caller.userId()), action, policyId, Outcome.SUCCESS);
    }
}
