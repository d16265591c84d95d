package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
 * Overrides and leave are audited by their wrapper: each one added, changed or deleted answers only once its entry
 * (same action name and fields as ever) is written; an entry that cannot be written fails the change with 503
 * {@code audit-unavailable}; a refused change records nothing.
 */
class AuditedCoversTests {

    private static final Caller OWNER = new Caller("owner-1", "org-1", null, Set.of(Role.CLINICIAN));
    private static final Instant FROM = Instant.parse("2026-12-24T18:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-26T08:00:00Z");

    private final AtomicInteger writes = new AtomicInteger();

    @Test
    void leaveAddedChangedAndDeletedIsRecordedBeforeEachAnswer() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedCovers(writer(null), audit);

        StepVerifier.create(audited.add(OWNER, "icu", "LEAVE", "nurse-1", "x", "y")).expectNextCount(1)
                .verifyComplete();
        StepVerifier.create(audited.change(OWNER, "icu", "cover-1", "nurse-1", "x", "y")).expectNextCount(1)
                .verifyComplete();
        StepVerifier.create(audited.delete(OWNER, "icu", "cover-1")).expectNextCount(1).verifyComplete();

        assertThat(audit.entries).containsExactly(
                AuditEvent.of("org-1", Actor.user("owner-1"), "oncall.leave", "icu", Outcome.SUCCESS)
                        .withDetail("userId", "nurse-1").withDetail("from", FROM.toString())
                        .withDetail("to", TO.toString()),
                changed("oncall.leave.change"), changed("oncall.leave.delete"));
    }

    @Test
    void anOverrideWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedCovers(writer(null), RecordingAuditLog.refusing())
                        .add(OWNER, "icu", "OVERRIDE", "nurse-1", "x", "y"))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(writes).hasValue(1);
    }

    @Test
    void aRefusedChangeRecordsNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedCovers(writer(ProblemType.FORBIDDEN.exception("Only ADMIN or the role's owners")),
                audit);

        StepVerifier.create(audited.delete(OWNER, "icu", "cover-1")).expectError(ProblemException.class).verify();

        assertThat(audit.entries).isEmpty();
    }

    private static AuditEvent changed(String action) {
        return AuditEvent.of("org-1", Actor.user("owner-1"), action, "icu", Outcome.SUCCESS)
                .withDetail("coverId", "cover-1").withDetail("userId", "nurse-1")
                .withDetail("from", FROM.toString()).withDetail("to", TO.toString());
    }

    /** The writer's part: every write stores leave {@code cover-1}, or fails with {@code refusal} when given. */
    private Covers writer(RuntimeException refusal) {
        return new Covers() {
            private Mono<OnCallStore.StoredCover> write(String kind) {
                return Mono.defer(() -> {
                    writes.incrementAndGet();
                    return refusal != null ? Mono.error(refusal)
                            : Mono.just(new OnCallStore.StoredCover("cover-1", "icu", kind, "nurse-1", FROM, TO));
                });
            }

            @Override
            public Mono<OnCallStore.StoredCover> add(Caller caller, String roleId, String kind, String userId,
                    String from, String to) {
                return write(kind);
            }

            @Override
            public Mono<OnCallStore.StoredCover> change(Caller caller, String roleId, String coverId, String userId,
                    String from, String to) {
                return write("LEAVE");
            }

            @Override
            public Mono<OnCallStore.StoredCover> delete(Caller caller, String roleId, String coverId) {
                return write("LEAVE");
            }
        };
    }
}
