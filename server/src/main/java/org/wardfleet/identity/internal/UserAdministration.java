package org.wardfleet.identity.internal;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * What an administrator does to users of their own organisation: the rules and the writes. Every change is audited by
 * {@link AuditedUserAccounts}, the {@link UserAccounts} bean other code gets.
 */
@Component
class UserAdministration implements UserAccounts {

    static final ProblemType EMAIL_TAKEN =
            new ProblemType("email-taken", HttpStatus.CONFLICT, "Email already in use");
    static final ProblemType WEAK_PASSWORD =
            new ProblemType("weak-password", HttpStatus.BAD_REQUEST, "Password too weak");
    static final ProblemType SELF_DISABLE =
            new ProblemType("cannot-disable-self", HttpStatus.CONFLICT, "Cannot disable yourself");

    static final ProblemType SELF_DEMOTE =
            new ProblemType("cannot-demote-self", HttpStatus.CONFLICT, "Cannot remove your own administrator role");

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    UserAdministration(UserRepository users, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public Mono<StoredUser> create(String orgId, Actor actor, String rawEmail, String displayName, Set<Role> roles,
            String password) {
        String email = rawEmail.trim().toLowerCase(Locale.ROOT);
        String weakness = PasswordHasher.weakness(password, email);
        if (weakness != null) {
            return Mono.error(WEAK_PASSWORD.exception("The password %s", weakness)
                    .with("errors", java.util.List.of(java.util.Map.of("path", "password", "message", weakness))));
        }
        return hasher.hash(password)
                .map(hash -> new StoredUser(UUID.randomUUID().toString(), orgId, email, displayName, roles, hash,
                        false, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null))
                .flatMap(user -> users.insert(user).thenReturn(user))
                .onErrorMap(Documents::isDuplicateKey, e -> EMAIL_TAKEN.exception("That email is already in use"));
    }

    @Override
    public Mono<StoredUser> setDisabled(Caller caller, String userId, boolean disabled) {
        if (disabled && caller.userId().equals(userId)) {
            return Mono.error(SELF_DISABLE.exception("An administrator cannot disable their own account"));
        }
        return users.setDisabled(caller.orgId(), userId, disabled, clock.instant())
                .flatMap(found -> found ? users.find(caller.orgId(), userId) : Mono.error(notFound(userId)));
    }

    @Override
    public Mono<RoleChange> setRoles(Caller caller, String userId, Set<Role> roles) {
        if (caller.userId().equals(userId) && !roles.contains(Role.ADMIN)) {
            return Mono.error(SELF_DEMOTE.exception("An administrator cannot remove their own ADMIN role"));
        }
        return users.find(caller.orgId(), userId)
                .switchIfEmpty(Mono.error(() -> notFound(userId)))
                .flatMap(before -> users.setRoles(caller.orgId(), userId, roles, clock.instant())
                        .then(users.find(caller.orgId(), userId))
                        .map(after -> new RoleChange(before.roles(), after)));
    }

    @Override
    public Mono<Void> resetPassword(Caller caller, String userId, String password) {
        return users.find(caller.orgId(), userId)
                .switchIfEmpty(Mono.error(() -> notFound(userId)))
                .flatMap(user -> {
                    String weakness = PasswordHasher.weakness(password, user.email());
                    return weakness != null ? Mono.error(WEAK_PASSWORD.exception("The password %s", weakness))
                            : hasher.hash(password);
                })
                .flatMap(hash -> users.setPassword(caller.orgId(), userId, hash, clock.instant()))
                .then();
    }

    static RuntimeException notFound(String userId) {
        return ProblemType.NOT_FOUND.exception("No user %s in your organisation", userId);
    }
}
