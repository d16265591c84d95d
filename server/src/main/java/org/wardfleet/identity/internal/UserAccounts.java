package org.wardfleet.identity.internal;

import java.util.Set;

import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/**
 * What an administrator (or the first start) does to an organisation's user accounts. Implemented by
 * {@link UserAdministration}, which acts, and {@link AuditedUserAccounts}, which delegates and records each change:
 * the bean other code gets.
 */
interface UserAccounts {

    Mono<StoredUser> create(String orgId, Actor actor, String email, String displayName, Set<Role> roles,
            String password);

    Mono<StoredUser> setDisabled(Caller caller, String userId, boolean disabled);

    /** Every request re-reads the user's roles, so a change applies to tokens already issued too. */
    Mono<RoleChange> setRoles(Caller caller, String userId, Set<Role> roles);

    Mono<Void> resetPassword(Caller caller, String userId, String password);

    /** The roles the user had, and the user as stored now. */
    record RoleChange(Set<Role> before, StoredUser user) {
    }
}
