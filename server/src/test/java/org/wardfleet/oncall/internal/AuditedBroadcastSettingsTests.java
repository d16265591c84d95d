package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.oncall.internal.BroadcastPermission.Settings;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A change of the broadcast rules answers only once its entry (same action name and fields as ever) is written; an
 * entry that cannot be written fails the change with 503; a refused change and a read record nothing.
 */
class AuditedBroadcastSettingsTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final Caller CLINICIAN = new Caller("doc-1", "org-1", null, Set.of(Role.CLINICIAN));

    private final AtomicInteger changes = new AtomicInteger();

    @Test
    void lettingMembersBroadcastToTheirGroupsIsRecordedBeforeTheAnswer() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedBroadcastSettings(stored(), audit).change(ADMIN, new Settings(true)))
                .expectNext(new Settings(true)).verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.user("admin-1"), "broadcast.settings",
                "org-1", Outcome.SUCCESS).withDetail("membersMayBroadcastToOwnGroups", "true"));
    }

    @Test
    void aChangeWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedBroadcastSettings(stored(), RecordingAuditLog.refusing())
                        .change(ADMIN, new Settings(true)))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(changes).hasValue(1);
    }

    @Test
    void aClinicianCannotChangeTheRulesAndNothingIsRecorded() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedBroadcastSettings(stored(), audit);

        assertThatThrownBy(() -> audited.change(CLINICIAN, new Settings(true)).block())
                .isInstanceOf(ProblemException.class);
        StepVerifier.create(audited.settings("org-1")).expectNext(Settings.DEFAULTS).verifyComplete();

        assertThat(changes).hasValue(0);
        assertThat(audit.entries).isEmpty();
    }

    /** The stored rules' part, with the role check the real one makes. */
    private BroadcastSettings stored() {
        return new BroadcastSettings() {
            @Override
            public Mono<Settings> settings(String orgId) {
                return Mono.just(Settings.DEFAULTS);
            }

            @Override
            public Mono<Settings> change(Caller caller, Settings changed) {
                caller.requireAny(Role.ADMIN);
                return Mono.fromCallable(() -> {
                    changes.incrementAndGet();
                    return changed;
                });
            }
        };
    }
}
