package org.wardfleet.enrollment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditProblems;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;
import org.wardfleet.enrollment.CreatedInvitation;
import org.wardfleet.enrollment.InvitationFilter;
import org.wardfleet.enrollment.InvitationPage;
import org.wardfleet.enrollment.InvitationView;
import org.wardfleet.enrollment.Invitations;
import org.wardfleet.enrollment.NewInvitation;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Invitations are audited by their wrapper: each change answers only once its entry (same action name and fields as
 * ever) is written; an entry that cannot be written fails the change with 503 {@code audit-unavailable}; a refused
 * change records nothing.
 */
class AuditedInvitationsTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final NewInvitation BODY = new NewInvitation(Ownership.COPE, DevicePlatform.ANDROID, 5, null,
            List.of(), 24);
    private static final CreatedInvitation CREATED = new CreatedInvitation("inv-1", "secret", "https://x/enroll",
            "data:image/png;base64,", Instant.parse("2026-12-08T00:00:00Z"), Ownership.COPE, DevicePlatform.ANDROID, 5,
            null, List.of());

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void creatingAnInvitationWritesItsAuditEntryBeforeAnswering() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedInvitations(issuer(Mono.just(CREATED)), audit).create(ADMIN, BODY))
                .expectNext(CREATED).verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.user("admin-1"),
                        "enrollment.invitation.create", "inv-1", Outcome.SUCCESS)
                .withDetail("ownership", "COPE").withDetail("maxUses", "5"));
    }

    @Test
    void anInvitationWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedInvitations(issuer(Mono.just(CREATED)), RecordingAuditLog.refusing())
                        .revoke(ADMIN, "inv-1"))
                .expectErrorSatisfies(e -> {
                    assertThat(((ProblemException) e).problemType()).isEqualTo(AuditProblems.AUDIT_UNAVAILABLE);
                    assertThat(((ProblemException) e).getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                })
                .verify();
        assertThat(calls).hasValue(1); // the revocation itself ran, as with the audit line inside it
    }

    @Test
    void aRefusedChangeRecordsNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedInvitations(issuer(Mono.error(ProblemType.FORBIDDEN.exception("no"))), audit)
                        .create(ADMIN, BODY))
                .expectError(ProblemException.class).verify();

        assertThat(audit.entries).isEmpty();
    }

    /** The issuer's part: answers {@code created} to a creation and a revoked view to a revocation. */
    private Invitations issuer(Mono<CreatedInvitation> created) {
        return new Invitations() {
            @Override
            public Mono<CreatedInvitation> create(Caller caller, NewInvitation body) {
                return created.doOnSubscribe(s -> calls.incrementAndGet());
            }

            @Override
            public Mono<InvitationPage> list(Caller caller, InvitationFilter filter, int page, int size) {
                return Mono.empty();
            }

            @Override
            public Mono<InvitationView> find(Caller caller, String invitationId) {
                return Mono.empty();
            }

            @Override
            public Mono<InvitationView> revoke(Caller caller, String invitationId) {
                return Mono.fromCallable(() -> {
                    calls.incrementAndGet();
                    return (InvitationView) null;
                }).then(Mono.just(revokedView(invitationId)));
            }
        };
    }

    private static InvitationView revokedView(String id) {
        return new InvitationView(id, Ownership.COPE, DevicePlatform.ANDROID, 5, 5, null, List.of(),
                CREATED.expiresAt(), CREATED.expiresAt().minusSeconds(60), CREATED.expiresAt().minusSeconds(30),
                "REVOKED");
    }
}
