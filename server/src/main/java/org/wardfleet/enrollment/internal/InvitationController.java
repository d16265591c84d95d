package org.wardfleet.enrollment.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.PublicUrl;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** IT creates invitations; the answer carries the secret, the enrollment link and its QR code, once. */
@RestController
@RequestMapping("/api/v1/enrollment/invitations")
class InvitationController {

    static final ProblemType ASSIGNMENT_INVALID = new ProblemType("invitation-assignment-invalid",
            HttpStatus.BAD_REQUEST, "Invitation assignment invalid");

    private final InvitationRepository invitations;
    private final UserDirectory users;
    private final AuditLog audit;
    private final PublicUrl publicUrl;
    private final Clock clock;

    InvitationController(InvitationRepository invitations, UserDirectory users, AuditLog audit, PublicUrl publicUrl,
            Clock clock) {
        this.invitations = invitations;
        this.users = users;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    record NewInvitation(@NotNull Ownership ownership, @NotNull DevicePlatform platform,
            @Min(1) @Max(1000) Integer maxUses, @Size(max = 64) String assignedUserId,
            @Size(max = 20) List<@Pattern(regexp = "[A-Za-z0-9 ._-]{1,64}") String> groups,
            @Min(1) @Max(720) Integer expiresInHours) {
    }

    record CreatedInvitation(String id, String secret, String enrollmentUrl, String qrCodeUrl, Instant expiresAt,
            Ownership ownership, DevicePlatform platform, int maxUses, String assignedUserId, List<String> groups) {
    }

    record InvitationView(String id, Ownership ownership, DevicePlatform platform, int maxUses, int remaining,
            String assignedUserId, List<String> groups, Instant expiresAt, Instant createdAt, Instant revokedAt,
            String state) {

        static InvitationView of(Invitation i, Instant now) {
            String state = i.revokedAt() != null ? "REVOKED" : !i.expiresAt().isAfter(now) ? "EXPIRED"
                    : i.remaining() <= 0 ? "USED" : "OPEN";
            return new InvitationView(i.id(), i.ownership(), i.platform(), i.maxUses(), i.remaining(),
                    i.assignedUserId(), i.groups(), i.expiresAt(), i.createdAt(), i.revokedAt(), state);
        }
    }

    record InvitationPage(List<InvitationView> items, int page, int size, long total) {
    }

    @Operation(summary = "Create an enrollment invitation: its secret and QR code, shown once (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The invitation with its secret")
    @Problems({"403 forbidden", "400 invitation-assignment-invalid"})
    @PostMapping
    Mono<ResponseEntity<CreatedInvitation>> create(Caller caller, @Valid @RequestBody NewInvitation body) {
        caller.requireAny(Role.ADMIN);
        return checkAssignment(caller, body).then(Mono.defer(() -> {
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
                    .then(audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                            "enrollment.invitation.create", invitation.id(), Outcome.SUCCESS)
                            .withDetail("ownership", body.ownership().name()).withDetail("maxUses", "" + maxUses)))
                    .thenReturn(ResponseEntity.created(URI.create("/api/v1/enrollment/invitations/" + invitation.id()))
                            .body(new CreatedInvitation(invitation.id(), secret, link, QrCodes.pngDataUrl(link),
                                    invitation.expiresAt(), invitation.ownership(), invitation.platform(), maxUses,
                                    invitation.assignedUserId(), invitation.groups())));
        }));
    }

    static final List<String> STATES = List.of("OPEN", "USED", "EXPIRED", "REVOKED");

    /** Newest first; narrowed by {@code state}, {@code ownership}, {@code platform}, {@code assignedUserId}. */
    @Operation(summary = "List invitations, newest first, filtered (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping
    Mono<InvitationPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size, @RequestParam(required = false) String state,
            @RequestParam(required = false) String ownership, @RequestParam(required = false) String platform,
            @RequestParam(required = false) String assignedUserId) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        PageRequest request = PageRequest.of(page, size);
        Instant now = clock.instant();
        String owned = PageRequest.oneOf("ownership", ownership,
                java.util.Arrays.stream(Ownership.values()).map(Ownership::name).toList());
        String on = PageRequest.oneOf("platform", platform,
                java.util.Arrays.stream(DevicePlatform.values()).map(DevicePlatform::name).toList());
        InvitationRepository.Filter filter = new InvitationRepository.Filter(PageRequest.oneOf("state", state, STATES),
                owned == null ? null : Ownership.valueOf(owned), on == null ? null : DevicePlatform.valueOf(on),
                assignedUserId == null || assignedUserId.isBlank() ? null : assignedUserId, now);
        return invitations.list(caller.orgId(), filter, request.page(), request.size())
                .map(i -> InvitationView.of(i, now)).collectList()
                .zipWith(invitations.count(caller.orgId(), filter))
                .map(t -> new InvitationPage(t.getT1(), page, size, t.getT2()));
    }

    @Operation(summary = "An invitation, never its secret (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/{id}")
    Mono<InvitationView> get(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return invitations.find(caller.orgId(), id).map(i -> InvitationView.of(i, clock.instant()))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No invitation %s", id)));
    }

    @Operation(summary = "Revoke an invitation (ADMIN)")
    @Problems({"403 forbidden"})
    @PostMapping("/{id}/revoke")
    Mono<InvitationView> revoke(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN);
        return invitations.revoke(caller.orgId(), id, clock.instant())
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No invitation %s", id)))
                .flatMap(i -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "enrollment.invitation.revoke", id, Outcome.SUCCESS)).thenReturn(InvitationView.of(i,
                        clock.instant())));
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
