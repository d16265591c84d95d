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
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;
import org.wardfleet.enrollment.CreatedInvitation;
import org.wardfleet.enrollment.InvitationFilter;
import org.wardfleet.enrollment.InvitationPage;
import org.wardfleet.enrollment.InvitationView;
import org.wardfleet.enrollment.Invitations;
import org.wardfleet.enrollment.NewInvitation;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

    @Operation(summary = "Create an enrollment invitation: its secret and QR code, shown once (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The invitation with its secret")
    @Problems({"403 forbidden", "400 invitation-assignment-invalid"})
    @PostMapping
    Mono<ResponseEntity<CreatedInvitation>> create(Caller caller, @Valid @RequestBody NewInvitation body) {
        return invitations.create(caller, body)
                .map(created -> ResponseEntity.created(URI.create("/api/v1/enrollment/invitations/" + created.id()))
                        .body(created));
    }

    /** Newest first; narrowed by {@code state}, {@code ownership}, {@code platform}, {@code assignedUserId}. */
    @Operation(summary = "List invitations, newest first, filtered (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping
    Mono<InvitationPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size, @RequestParam(required = false) String state,
            @RequestParam(required = false) String ownership, @RequestParam(required = false) String platform,
            @RequestParam(required = false) String assignedUserId) {
        PageRequest request = PageRequest.of(page, size);
        String owned = PageRequest.oneOf("ownership", ownership,
                java.util.Arrays.stream(Ownership.values()).map(Ownership::name).toList());
        String on = PageRequest.oneOf("platform", platform,
                java.util.Arrays.stream(DevicePlatform.values()).map(DevicePlatform::name).toList());
        InvitationFilter filter = new InvitationFilter(PageRequest.oneOf("state", state, InvitationFilter.STATES),
                owned == null ? null : Ownership.valueOf(owned), on == null ? null : DevicePlatform.valueOf(on),
                assignedUserId == null || assignedUserId.isBlank() ? null : assignedUserId);
        return invitations.list(caller, filter, request.page(), request.size());
    }

    @Operation(summary = "An invitation, never its secret (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}")
    Mono<InvitationView> get(Caller caller, @PathVariable String id) {
        return invitations.find(caller, id);
    }

    @Operation(summary = "Revoke an invitation (ADMIN)")
    @Problems({"403 forbidden"})
    @PostMapping("/{id}/revoke")
    Mono<InvitationView> revoke(Caller caller, @PathVariable String id) {
        return invitations.revoke(caller, id);
    }
}
