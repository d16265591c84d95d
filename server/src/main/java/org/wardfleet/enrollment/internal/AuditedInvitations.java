package org.wardfleet.enrollment.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.enrollment.CreatedInvitation;
import org.wardfleet.enrollment.InvitationFilter;
import org.wardfleet.enrollment.InvitationPage;
import org.wardfleet.enrollment.InvitationView;
import org.wardfleet.enrollment.Invitations;
import org.wardfleet.enrollment.NewInvitation;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * {@link Invitations} audited: delegates to the issuer, then records each change; the answer waits for the entry
 * ({@link AuditLog#after}). Reads are not audited.
 */
@Primary
@Component
class AuditedInvitations implements Invitations {

    private final Invitations issuer;
    private final AuditLog audit;

    @Autowired
    AuditedInvitations(InvitationIssuer issuer, AuditLog audit) {
        this((Invitations) issuer, audit);
    }

    AuditedInvitations(Invitations issuer, AuditLog audit) {
        this.issuer = issuer;
        this.audit = audit;
    }

    @Override
    public Mono<CreatedInvitation> create(Caller caller, NewInvitation body) {
        return audit.after(issuer.create(caller, body), created -> AuditEvent.of(caller.orgId(),
                        Actor.user(caller.userId()), "enrollment.invitation.create", created.id(), Outcome.SUCCESS)
                .withDetail("ownership", created.ownership().name())
                .withDetail("maxUses", Integer.toString(created.maxUses())));
    }

    @Override
    public Mono<InvitationPage> list(Caller caller, InvitationFilter filter, int page, int size) {
        return issuer.list(caller, filter, page, size);
    }

    @Override
    public Mono<InvitationView> find(Caller caller, String invitationId) {
        return issuer.find(caller, invitationId);
    }

    @Override
    public Mono<InvitationView> revoke(Caller caller, String invitationId) {
        return audit.after(issuer.revoke(caller, invitationId), revoked -> AuditEvent.of(caller.orgId(),
                Actor.user(caller.userId()), "enrollment.invitation.revoke", invitationId, Outcome.SUCCESS));
    }
}
