package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * On-call roles are audited by their wrapper: a role created, its rota, escalation policy or owners changed answers
 * only once its entry (same action name and fields as ever) is written; an entry that cannot be written fails the
 * change with 503 {@code audit-unavailable}; a refused change records nothing.
 */
class AuditedOnCallRolesTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final OnCallRoles.RotaBody ROTA = new OnCallRoles.RotaBody(List.of("nurse-1", "nurse-2"),
            LocalDateTime.parse("2026-12-07T08:00"), "PT12H");
    private static final OnCallRoles.NewRole NEW_ROLE = new OnCallRoles.NewRole("ICU night", "Europe/London",
            List.of("owner-1"), ROTA, null);

    private final AtomicInteger writes = new AtomicInteger();

    @Test
    void aRoleCreatedAndChangedIsRecordedBeforeEachAnswer() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedOnCallRoles(writer(null), audit);

        StepVerifier.create(audited.create(ADMIN, NEW_ROLE)).expectNextCount(1).verifyComplete();
        StepVerifier.create(audited.replaceRota(ADMIN, "icu", ROTA)).expectNextCount(1).verifyComplete();
        StepVerifier.create(audited.escalationPolicy(ADMIN, "icu", "pol-1")).expectNextCount(1).verifyComplete();
        StepVerifier.create(audited.escalationPolicy(ADMIN, "icu", null)).expectNextCount(1).verifyComplete();
        StepVerifier.create(audited.owners(ADMIN, "icu", List.of("owner-1", "owner-2", "owner-1")))
                .expectNextCount(1).verifyComplete();

        assertThat(audit.entries).containsExactly(
                entry("oncall.role.create").withDetail("name", "ICU night"),
                entry("oncall.rota.change"),
                entry("oncall.role.policy").withDetail("escalationPolicyId", "pol-1"),
                entry("oncall.role.policy").withDetail("escalationPolicyId", "null"),
                entry("oncall.role.owners").withDetail("owners", "[owner-1, owner-2]"));
    }

    @Test
    void aRotaWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedOnCallRoles(writer(null), RecordingAuditLog.refusing())
                        .replaceRota(ADMIN, "icu", ROTA))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(writes).hasValue(1); // the rota was written, as with the audit line in the controller
    }

    @Test
    void aRefusedChangeRecordsNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedOnCallRoles(writer(ProblemType.FORBIDDEN.exception("Only ADMIN or the role's owners")),
                audit);

        StepVerifier.create(audited.replaceRota(ADMIN, "icu", ROTA)).expectError(ProblemException.class).verify();
        StepVerifier.create(audited.owners(ADMIN, "icu", List.of("owner-1"))).expectError(ProblemException.class)
                .verify();

        assertThat(audit.entries).isEmpty();
    }

    private static AuditEvent entry(String action) {
        return AuditEvent.of("org-1", Actor.user("admin-1"), action, "icu", Outcome.SUCCESS);
    }

    /** The writer's part: every write stores role {@code icu} as asked, or fails with {@code refusal} when given. */
    private OnCallRoles writer(RuntimeException refusal) {
        return new OnCallRoles() {
            private Mono<OnCallStore.Role> write(String name, List<String> owners, String policyId) {
                return Mono.defer(() -> {
                    writes.incrementAndGet();
                    return refusal != null ? Mono.error(refusal) : Mono.just(new OnCallStore.Role("icu", "org-1",
                            name, LONDON, owners, new Rota(ROTA.participants(), ROTA.start(), ROTA.shift(), LONDON),
                            policyId));
                });
            }

            @Override
            public Mono<OnCallStore.Role> create(Caller caller, NewRole role) {
                return write(role.name(), role.owners(), role.escalationPolicyId());
            }

            @Override
            public Mono<OnCallStore.Role> replaceRota(Caller caller, String roleId, RotaBody rota) {
                return write("ICU night", List.of("owner-1"), null);
            }

            @Override
            public Mono<OnCallStore.Role> escalationPolicy(Caller caller, String roleId, String escalationPolicyId) {
                return write("ICU night", List.of("owner-1"), escalationPolicyId);
            }

            @Override
            public Mono<OnCallStore.Role> owners(Caller caller, String roleId, List<String> owners) {
                return write("ICU night", List.copyOf(new java.util.LinkedHashSet<>(owners)), null);
            }
        };
    }
}
