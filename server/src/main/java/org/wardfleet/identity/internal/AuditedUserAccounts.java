package org.wardfleet.identity.internal;

import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/** {@link UserAccounts} audited: each change is recorded after it is made, and the answer waits for the entry. */
@Primary
@Component
class AuditedUserAccounts implements UserAccounts {

    private final UserAccounts administration;
    private final AuditLog audit;

    @Autowired
    AuditedUserAccounts(UserAdministration administration, AuditLog audit) {
        this((UserAccounts) administration, audit);
    }

    AuditedUserAccounts(UserAccounts administration, AuditLog audit) {
        this.administration = administration;
        this.audit = audit;
    }

    @Override
    public Mono<StoredUser> create(String orgId, Actor actor, String email, String displayName, Set<Role> roles,
            String password) {
        return audit.after(administration.create(orgId, actor, email, displayName, roles, password),
                user -> AuditEvent.of(orgId, actor, "user.create", user.id(), Outcome.SUCCESS)
                        .withDetail("roles", user.roles().toString()));
    }

    @Override
    public Mono<StoredUser> setDisabled(Caller caller, String userId, boolean disabled) {
        return audit.after(administration.setDisabled(caller, userId, disabled),
                user -> AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        disabled ? "user.disable" : "user.enable", userId, Outcome.SUCCESS));
    }

    @Override
    public Mono<RoleChange> setRoles(Caller caller, String userId, Set<Role> roles) {
        return audit.after(administration.setRoles(caller, userId, roles),
                change -> AuditEvent.of(caller.orgId(), Actor.user(caller.userId()), "user.roles", userId,
                                Outcome.SUCCESS)
                        .withDetail("before", sorted(change.before()))
                        .withDetail("after", sorted(change.user().roles())));
    }

    @Override
    public Mono<Void> resetPassword(Caller caller, String userId, String password) {
        return audit.afterCompletion(administration.resetPassword(caller, userId, password),
                () -> AuditEvent.of(caller.orgId(), Actor.user(caller.userId()), "user.password-reset", userId,
                        Outcome.SUCCESS));
    }

    private static String sorted(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().toList().toString();
    }
}
