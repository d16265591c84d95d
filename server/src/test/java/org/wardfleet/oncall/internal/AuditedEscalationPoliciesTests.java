package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.oncall.EscalationPolicies;
import org.wardfleet.oncall.OnCallProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Escalation policies are audited by their wrapper: a policy created, replaced or deleted answers only once its entry
 * (same action name and fields as ever) is written; an entry that cannot be written fails the change with 503
 * {@code audit-unavailable}; a refused deletion (a role still pages through the policy) records nothing.
 */
class AuditedEscalationPoliciesTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final EscalationPolicies.PolicyDraft DRAFT = new EscalationPolicies.PolicyDraft("Wards", 1,
            List.of());
    private static final EscalationPolicies.PolicyView VIEW = new EscalationPolicies.PolicyView("pol-1", "Wards", 1,
            List.of(), List.of());

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void creatingReplacingAndDeletingAPolicyWriteTheirAuditEntriesBeforeAnswering() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedEscalationPolicies(policies(null), audit);

        StepVerifier.create(audited.create(ADMIN, DRAFT)).expectNext("pol-1").verifyComplete();
        StepVerifier.create(audited.replace(ADMIN, "pol-1", DRAFT)).expectNext(VIEW).verifyComplete();
        StepVerifier.create(audited.delete(ADMIN, "pol-1")).verifyComplete();

        assertThat(audit.entries).containsExactly(entry("escalation.policy.create"),
                entry("escalation.policy.change"), entry("escalation.policy.delete"));
    }

    @Test
    void aDeletionWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedEscalationPolicies(policies(null), RecordingAuditLog.refusing())
                        .delete(ADMIN, "pol-1"))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(calls).hasValue(1); // the policy was deleted, as with the audit line inside the service
    }

    @Test
    void aRefusedDeletionAndAReadRecordNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedEscalationPolicies(policies(OnCallProblems.ESCALATION_POLICY_IN_USE.exception(
                "On-call roles [ICU] page through this policy")), audit);

        StepVerifier.create(audited.delete(ADMIN, "pol-1")).expectError(ProblemException.class).verify();
        StepVerifier.create(audited.get(ADMIN, "pol-1")).expectError(ProblemException.class).verify();

        assertThat(audit.entries).isEmpty();
    }

    private static AuditEvent entry(String action) {
        return AuditEvent.of("org-1", Actor.user("admin-1"), action, "pol-1", Outcome.SUCCESS);
    }

    /** The service's part: every call answers for policy {@code pol-1}, or fails with {@code refusal} when given. */
    private EscalationPolicies policies(RuntimeException refusal) {
        return new EscalationPolicies() {
            private <T> Mono<T> answer(T value) {
                return Mono.defer(() -> {
                    calls.incrementAndGet();
                    return refusal != null ? Mono.<T>error(refusal) : value == null ? Mono.<T>empty()
                            : Mono.just(value);
                });
            }

            @Override
            public Mono<PolicyPage> list(Caller caller, int page, int size) {
                return answer(new PolicyPage(List.of(VIEW), page, size, 1));
            }

            @Override
            public Mono<PolicyView> get(Caller caller, String id) {
                return answer(VIEW);
            }

            @Override
            public Mono<String> create(Caller caller, PolicyDraft draft) {
                return answer("pol-1");
            }

            @Override
            public Mono<PolicyView> replace(Caller caller, String id, PolicyDraft draft) {
                return answer(VIEW);
            }

            @Override
            public Mono<Void> delete(Caller caller, String id) {
                return answer(null);
            }
        };
    }
}
