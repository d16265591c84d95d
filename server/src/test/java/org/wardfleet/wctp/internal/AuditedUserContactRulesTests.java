package org.wardfleet.wctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
 * A user's contact rules are audited by their wrapper: rules set answer only once their entry (same action name and
 * fields as ever) is written; an entry that cannot be written fails the change with 503 {@code audit-unavailable}; a
 * refused change and a read record nothing.
 */
class AuditedUserContactRulesTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final ContactRules.Rule RULE = new ContactRules.Rule("nurse-1", "org-1", "4471234",
            Map.of("STAT", 30));

    private final AtomicInteger writes = new AtomicInteger();

    @Test
    void aUsersPagerAndTimingsSetAreRecordedBeforeTheAnswer() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedUserContactRules(desk(null), audit);

        StepVerifier.create(audited.set(ADMIN, "nurse-1", "4471234", Map.of("STAT", 30))).expectNext(RULE)
                .verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.user("admin-1"), "user.contact-rules",
                "nurse-1", Outcome.SUCCESS));
    }

    @Test
    void rulesWhoseAuditEntryCannotBeWrittenAreRefusedWith503() {
        StepVerifier.create(new AuditedUserContactRules(desk(null), RecordingAuditLog.refusing())
                        .set(ADMIN, "nurse-1", "4471234", Map.of("STAT", 30)))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(writes).hasValue(1); // the rules were stored, as with the audit line in the controller
    }

    @Test
    void aRefusedChangeAndAReadRecordNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedUserContactRules(desk(ProblemType.FORBIDDEN.exception(
                "Only ADMIN or the user themself")), audit);

        StepVerifier.create(audited.set(ADMIN, "nurse-1", "4471234", Map.of())).expectError(ProblemException.class)
                .verify();
        StepVerifier.create(new AuditedUserContactRules(desk(null), audit).find(ADMIN, "nurse-1")).expectNext(RULE)
                .verifyComplete();

        assertThat(audit.entries).isEmpty();
    }

    /** The desk's part: setting stores {@link #RULE}, or fails with {@code refusal} when given; reading answers it. */
    private UserContactRules desk(RuntimeException refusal) {
        return new UserContactRules() {
            @Override
            public Mono<ContactRules.Rule> set(Caller caller, String userId, String pager,
                    Map<String, Integer> fallbackAfterSeconds) {
                return Mono.defer(() -> {
                    writes.incrementAndGet();
                    return refusal != null ? Mono.error(refusal) : Mono.just(RULE);
                });
            }

            @Override
            public Mono<ContactRules.Rule> find(Caller caller, String userId) {
                return Mono.just(RULE);
            }
        };
    }
}
