package org.wardfleet.enrollment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Ownership;
import org.wardfleet.enrollment.CreatedInvitation;
import org.wardfleet.enrollment.InvitationFilter;
import org.wardfleet.enrollment.InvitationPage;
import org.wardfleet.enrollment.InvitationView;
import org.wardfleet.enrollment.Invitations;
import org.wardfleet.enrollment.NewInvitation;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.PublicUrl;

import reactor.core.publisher.Mono;

/**
 * {@link Invitations}: who may create, read and revoke invitations, and what each one may be. Audited by
 * {@link AuditedInvitations}, the bean other code gets.
 */
@Component
class InvitationIssuer implements Invitations {

    static final ProblemType ASSIGNMENT_INVALID = new ProblemType("invitation-assignment-invalid",
            HttpStatus.BAD_REQUEST, "Invitation assignment invalid");

    private final InvitationRepository invitations;
    private final UserDirectory users;
    private final PublicUrl publicUrl;
    private final Clock clock;

    InvitationIssuer(InvitationRepository invitations, UserDirectory users, PublicUrl publicUrl, Clock clock) {
        this.invitations = invitations;
        this.users = users;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public Mono<CreatedInvitation> create(Caller caller, NewInvitation body) {
        return Mono.defer(() -> checkAssignment(caller.requireAny(Role.ADMIN), body)).then(Mono.defer(() -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String secret = Secrets.newSecret();
            int maxUses = body.maxUses() == null ? 1 : body.maxUses();
            Duration ttl = Duration.ofHours(body.expiresInHours() == null ? 24 : body.expiresInHours());
            Invitation invitation = new Invitation(UUID.randomUUID().toString(), caller.orgId(), body.ownership(),
                    body.platform(), body.assignedUserId(), body.groups() == null ? List.of() : body.groups(),
                    maxUses, maxUses, now.plus(ttl), Secrets.hash(secret), caller.userId(), now, null);
            // the fragment never reaches a server log; the app reads the token from it
            String link = publicUrl.resolve("/enroll#token=" + secret);
            return invitations.insert(invitation)
                    .thenReturn(new CreatedInvitation(invitation.id(), secret, link, QrCodes.pngDataUrl(link),
                            invitation.expiresAt(), invitation.ownership(), invitation.platform(), maxUses,
                            invitation.assignedUserId(), invitation.groups()));
        }));
    }

    @Override
    public Mono<InvitationPage> list(Caller caller, InvitationFilter filter, int page, int size) {
        return Mono.defer(() -> {
            caller.requireAny(Role.ADMIN, Role.SECURITY);
            if (page < 0 || size < 1 || size > 200) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("page must be >= 0 and size 1..200"));
            }
            Instant now = clock.instant();
            InvitationRepository.Filter narrowed = new InvitationRepository.Filter(filter.state(), filter.ownership(),
                    filter.platform(), filter.assignedUserId(), now);
            return invitations.list(caller.orgId(), narrowed, page, size).map(i -> view(i, now)).collectList()
                    .zipWith(invitations.count(caller.orgId(), narrowed))
                    .map(t -> new InvitationPage(t.getT1(), page, size, t.getT2()));
        });
    }

    @Override
    public Mono<InvitationView> find(Caller caller, String invitationId) {
        return Mono.defer(() -> invitations.find(caller.requireAny(Role.ADMIN, Role.SECURITY).orgId(), invitationId))
                .map(i -> view(i, clock.instant()))
                .switchIfEmpty(Mono.error(() -> notFound(invitationId)));
    }

    @Override
    public Mono<InvitationView> revoke(Caller caller, String invitationId) {
        return Mono.defer(() -> invitations.revoke(caller.requireAny(Role.ADMIN).orgId(), invitationId,
                        clock.instant()))
                .switchIfEmpty(Mono.error(() -> notFound(invitationId)))
                .map(i -> view(i, clock.instant()));
    }

    static InvitationView view(Invitation i, Instant now) {
        String state = i.revokedAt() != null ? "REVOKED" : !i.expiresAt().isAfter(now) ? "EXPIRED"
                : i.remaining() <= 0 ? "USED" : "OPEN";
        return new InvitationView(i.id(), i.ownership(), i.platform(), i.maxUses(), i.remaining(),
                i.assignedUserId(), i.groups(), i.expiresAt(), i.createdAt(), i.revokedAt(), state);
    }

    private static RuntimeException notFound(String id) {
        return ProblemType.NOT_FOUND.exception("No invitation %s", id);
    }

    /** BYOD belongs to a person; a shared ward tablet to nobody; the person must be in this organisation. */
    private Mono<Void> checkAssignment(Caller caller, NewInvitation body) {
        if (body.ownership() == Ownership.SHARED && body.assignedUserId() != null) {
            return Mono.error(ASSIGNMENT_INVALID.exception("A SHARED device has no assigned user"));
        }
        if (body.ownership() == Ownership.BYOD && body.assignedUserId() == null) {
            return Mono.error(ASSIGNMENT_INVALID.exception("A BYOD invitation names the user who owns the device"));
        }
        if (body.assignedUserId() == null) {
            return Mono.empty();
        }
        return users.find(caller.orgId(), body.assignedUserId())
                .filter(u -> !u.disabled())
                .switchIfEmpty(Mono.error(() -> ASSIGNMENT_INVALID.exception("No active user %s in your organisation",
                        body.assignedUserId())))
                .then();
    }
}
