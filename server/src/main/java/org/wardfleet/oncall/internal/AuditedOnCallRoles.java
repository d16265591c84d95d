package org.wardfleet.oncall.internal;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * {@link OnCallRoles} audited: a role created, its rota, escalation policy or owners changed is recorded once
 * {@link RoleWriter} has written it, and the answer waits for the entry ({@link AuditLog#after}).
 */
@Primary
@Component
class AuditedOnCallRoles implements OnCallRoles {

    private final OnCallRoles roles;
    private final AuditLog audit;

    @Autowired
    AuditedOnCallRoles(RoleWriter writer, AuditLog audit) {
        this((OnCallRoles) writer, audit);
    }

    AuditedOnCallRoles(OnCallRoles roles, AuditLog audit) {
        this.roles = roles;
        this.audit = audit;
    }

    @Override
    public Mono<OnCallStore.Role> create(Caller caller, NewRole role) {
        return audit.after(roles.create(caller, role), r -> entry(caller, "oncall.role.create", r.id())
                .withDetail("name", r.name()));
    }

    @Override
    public Mono<OnCallStore.Role> replaceRota(Caller caller, String roleId, RotaBody rota) {
        return audit.after(roles.replaceRota(caller, roleId, rota), r -> entry(caller, "oncall.rota.change", roleId));
    }

    @Override
    public Mono<OnCallStore.Role> escalationPolicy(Caller caller, String roleId, String escalationPolicyId) {
        return audit.after(roles.escalationPolicy(caller, roleId, escalationPolicyId), r -> entry(caller,
                "oncall.role.policy", roleId).withDetail("escalationPolicyId", String.valueOf(escalationPolicyId)));
    }

    @Override
    public Mono<OnCallStore.Role> owners(Caller caller, String roleId, List<String> owners) {
        return audit.after(roles.owners(caller, roleId, owners), r -> entry(caller, "oncall.role.owners", roleId)
                .withDetail("owners", r.owners().toString()));
    }

    private static AuditEvent entry(Caller caller, String action, String roleId) {
        return AuditEvent.of(caller.orgId(), Actor.user(caller.userId()), action, roleId, Outcome.SUCCESS);
    }
}
