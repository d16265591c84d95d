package org.wardfleet.enrollment.internal;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.enrollment.CreatedInvitation;
import org.wardfleet.enrollment.InvitationPage;
import org.wardfleet.enrollment.InvitationView;
import org.wardfleet.enrollment.Invitations;
import org.wardfleet.enrollment.NewInvitation;
import org.wardfleet.platform.security.Caller;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

/**
 * IT creates invitations; the answer carries the secret, the enrollment link and its QR code, once. The rules live in
 * {@link Invitations}, which the console calls too.
 */
@RestController
@RequestMapping("/api/v1/enrollment/invitations")
class InvitationController {

    private final Invitations invitations;

    InvitationController(Invitations invitations) {
        this.invitations = invitations;
    }

    @PostMapping
    Mono<ResponseEntity<CreatedInvitation>> create(Caller caller, @Valid @RequestBody NewInvitation body) {
        return invitations.create(caller, body)
                .map(created -> ResponseEntity.created(URI.create("/api/v1/enrollment/invitations/" + created.id()))
                        .body(created));
    }

    @GetMapping
    Mono<InvitationPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return invitations.list(caller, page, size);
    }

    @GetMapping("/{id}")
    Mono<InvitationView> get(Caller caller, @PathVariable String id) {
        return invitations.find(caller, id);
    }

    @PostMapping("/{id}/revoke")
    Mono<InvitationView> revoke(Caller caller, @PathVariable String id) {
        return invitations.revoke(caller, id);
    }
}
