package org.wardfleet.enrollment;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Enrollment invitations as IT makes and reads them — the API and the console both call this: {@code ADMIN} creates
 * and revokes, {@code ADMIN} and {@code SECURITY} read. Each change is audited.
 */
public interface Invitations {

    /**
     * A new invitation; its secret, link and QR code are in the answer only, never stored. Validate {@code body}
     * (its Bean Validation constraints) first. Problems: {@code forbidden}, {@code invitation-assignment-invalid}.
     */
    Mono<CreatedInvitation> create(Caller caller, NewInvitation body);

    /** Newest first, narrowed by {@code filter}; {@code page} 0-based, {@code size} 1..200. */
    Mono<InvitationPage> list(Caller caller, InvitationFilter filter, int page, int size);

    /** Newest first, all of them. */
    default Mono<InvitationPage> list(Caller caller, int page, int size) {
        return list(caller, InvitationFilter.ALL, page, size);
    }

    Mono<InvitationView> find(Caller caller, String invitationId);

    /** Revokes at once: the secret enrolls nothing from now on. Revoking twice keeps the first time. */
    Mono<InvitationView> revoke(Caller caller, String invitationId);
}
