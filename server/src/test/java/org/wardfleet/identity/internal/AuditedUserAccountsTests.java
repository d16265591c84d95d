package org.wardfleet.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * User administration is audited by its wrapper with the entries it always wrote (a role change names the roles
 * before and after); a password reset whose entry cannot be written is refused with 503 {@code audit-unavailable}.
 */
class AuditedUserAccountsTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final StoredUser NURSE = new StoredUser("nurse-1", "org-1", "nurse@test.local", "Nurse",
            EnumSet.of(Role.ADMIN, Role.CLINICIAN), "hash", false, Instant.parse("2026-12-01T00:00:00Z"), null);

    private final AtomicInteger resets = new AtomicInteger();

    @Test
    void aRoleChangeIsAuditedWithTheRolesBeforeAndAfter() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedUserAccounts(accounts(), audit).setRoles(ADMIN, "nurse-1", NURSE.roles()))
                .expectNextMatches(change -> change.user() == NURSE).verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.user("admin-1"), "user.roles",
                        "nurse-1", Outcome.SUCCESS)
                .withDetail("before", "[CLINICIAN]").withDetail("after", "[ADMIN, CLINICIAN]"));
    }

    @Test
    void aPasswordResetWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedUserAccounts(accounts(), RecordingAuditLog.refusing())
                        .resetPassword(ADMIN, "nurse-1", "a-long-enough-password-1"))
                .expectErrorSatisfies(e -> assertThat(((ProblemException) e).problemType())
                        .isEqualTo(AuditProblems.AUDIT_UNAVAILABLE))
                .verify();
        assertThat(resets).hasValue(1);
    }

    @Test
    void aPasswordResetIsAuditedOnceDone() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedUserAccounts(accounts(), audit)
                .resetPassword(ADMIN, "nurse-1", "a-long-enough-password-1")).verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.user("admin-1"),
                "user.password-reset", "nurse-1", Outcome.SUCCESS));
    }

    /** The administration's part: a nurse promoted to ADMIN, and password resets counted. */
    private UserAccounts accounts() {
        return new UserAccounts() {
            @Override
            public Mono<StoredUser> create(String orgId, Actor actor, String email, String displayName,
                    Set<Role> roles, String password) {
                return Mono.just(NURSE);
            }

            @Override
            public Mono<StoredUser> setDisabled(Caller caller, String userId, boolean disabled) {
                return Mono.just(NURSE);
            }

            @Override
            public Mono<RoleChange> setRoles(Caller caller, String userId, Set<Role> roles) {
                return Mono.just(new RoleChange(EnumSet.of(Role.CLINICIAN), NURSE));
            }

            @Override
            public Mono<Void> resetPassword(Caller caller, String userId, String password) {
                return Mono.fromRunnable(resets::incrementAndGet);
            }
        };
    }
}
