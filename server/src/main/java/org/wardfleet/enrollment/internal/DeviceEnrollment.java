package org.wardfleet.enrollment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Devices;
import org.wardfleet.device.NewDevice;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * Turns an invitation use plus a CSR into an enrolled device with a certificate. The use is taken first (the
 * atomic step); if the certificate cannot be issued (bad CSR, weak key) the use is given back.
 */
@Component
class DeviceEnrollment implements DeviceEnrollments {

    private final InvitationRepository invitations;
    private final CertificateIssuance issuance;
    private final Devices devices;
    private final AuditLog audit;
    private final Clock clock;

    DeviceEnrollment(InvitationRepository invitations, CertificateIssuance issuance, Devices devices, AuditLog audit,
            Clock clock) {
        this.invitations = invitations;
        this.issuance = issuance;
        this.devices = devices;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What the device tells about itself. {@code platform} null means "as the invitation says" (EST). {@code user}:
     * the person signed in on the device during enrollment (their own access token), or null.
     */
    record Request(String csr, DevicePlatform platform, String model, String osVersion, String securityPatchLevel,
            String appVersion, Device.Hardware hardware, boolean attestationPresent, String channel, Caller user) {
    }

    record Result(Device device, CertificateIssuance.Issued certificate) {
    }

    @Override
    public Mono<Result> redeem(String secret, Request request) {
        if (secret == null || !secret.startsWith(Secrets.PREFIX) || secret.length() > 100) {
            return denied(null, "malformed-token", EnrollmentProblems.INVALID_INVITATION.exception(
                    "The enrollment token is not valid"));
        }
        String hash = Secrets.hash(secret);
        Instant now = clock.instant();
        return invitations.consumeBySecretHash(hash, now)
                .flatMap(used -> used.platform() == request.platform() || request.platform() == null
                        ? issueAndRegister(used, request)
                        : invitations.release(used.id()).then(mismatch(used)))
                .switchIfEmpty(Mono.defer(() -> invitations.findBySecretHash(hash)
                        .switchIfEmpty(Mono.defer(() -> denied(null, "unknown-token",
                                EnrollmentProblems.INVALID_INVITATION.exception("The enrollment token is not valid"))))
                        .flatMap(invitation -> refusal(invitation, now))
                        .then(Mono.empty())));
    }

    @Override
    public Mono<Result> redeem(String invitationId, String secret, Request request) {
        return invitations.findById(invitationId)
                .filter(invitation -> Secrets.matches(secret, invitation.secretHash()))
                .switchIfEmpty(Mono.defer(() -> denied(null, "bad-basic-credentials",
                        EnrollmentProblems.INVALID_INVITATION.exception("Invitation id or secret is wrong"))))
                .flatMap(invitation -> enroll(invitation, request));
    }

    /** Audited by {@link AuditedDeviceEnrollments} once done. */
    @Override
    public Mono<Result> renew(DevicePrincipal caller, String csr) {
        return devices.find(caller.orgId(), caller.deviceId())
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("Unknown device")))
                .flatMap(device -> issuance.issue(device.orgId(), device.id(), device.ownership(), csr)
                        .flatMap(issued -> devices.replaceCertificate(device.orgId(), device.id(), issued.serial(),
                                        issued.notAfter(), issued.publicKey())
                                .flatMap(renewed -> issuance.supersede(device.orgId(), device.certificateSerial())
                                        .thenReturn(new Result(renewed, issued)))));
    }

    private Mono<Result> enroll(Invitation invitation, Request request) {
        if (request.platform() != null && request.platform() != invitation.platform()) {
            return mismatch(invitation);
        }
        Instant now = clock.instant();
        return invitations.consume(invitation.id(), now)
                .switchIfEmpty(Mono.defer(() -> refusal(invitation, now)))
                .flatMap(used -> issueAndRegister(used, request));
    }

    private Mono<Result> mismatch(Invitation invitation) {
        return denied(invitation, "platform-mismatch", EnrollmentProblems.PLATFORM_MISMATCH.exception(
                "This invitation is for %s devices", invitation.platform().wire()));
    }

    private Mono<Result> issueAndRegister(Invitation used, Request request) {
        if (request.user() != null && !signedInAsAssignee(used, request.user())) {
            // only the person the device is for can bind it by signing in; anyone else gets the use back and a refusal
            return invitations.release(used.id()).then(denied(used, "user-mismatch",
                    EnrollmentProblems.USER_MISMATCH.exception("This invitation is for another person: sign in as the"
                            + " person the device is for, or enroll without signing in and let them approve it")));
        }
        String deviceId = UUID.randomUUID().toString();
        return issuance.sign(used.orgId(), deviceId, used.ownership(), request.csr())
                .onErrorResume(e -> invitations.release(used.id())
                        .then(audit.record(attempt(used, Outcome.FAILURE, "certificate-refused")))
                        .then(Mono.error(e)))
                .flatMap(issued -> register(used, deviceId, issued, request));
    }

    private static boolean signedInAsAssignee(Invitation invitation, Caller user) {
        return invitation.assignedUserId() != null && invitation.orgId().equals(user.orgId())
                && invitation.assignedUserId().equals(user.userId());
    }

    private Mono<Result> register(Invitation invitation, String deviceId, CertificateIssuance.Issued issued,
            Request request) {
        NewDevice device = new NewDevice(deviceId, invitation.orgId(), invitation.ownership(), invitation.platform(),
                request.model(), request.osVersion(), request.securityPatchLevel(), request.appVersion(),
                invitation.assignedUserId(), invitation.groups(), issued.serial(), issued.notAfter(),
                issued.publicKey(), request.hardware(), invitation.id(), request.user() != null);
        // the certificate's record and the device are independent writes: both at once (issue 24). Until its record
        // is in, the certificate authenticates nothing; the audit entry follows both, so it never tells of an
        // enrollment that was not stored
        return Mono.zip(devices.register(device), issuance.record(invitation.orgId(), deviceId, issued)
                        .thenReturn(true), (registered, recorded) -> registered)
                .flatMap(registered -> (request.attestationPresent()
                        ? devices.recordEvent(invitation.orgId(), deviceId, "attestation.received",
                                "evidence sent at enrollment; verified by compliance checks")
                        : Mono.<Void>empty())
                        .then(audit.record(AuditEvent.of(invitation.orgId(), Actor.device(deviceId), "device.enroll",
                                deviceId, Outcome.SUCCESS).withDetail("invitationId", invitation.id())
                                .withDetail("channel", request.channel())
                                .withDetail("boundByUser", Boolean.toString(registered.boundToUser()))
                                .withDetail("ownership", invitation.ownership().name())))
                        .thenReturn(new Result(registered, issued)));
    }

    /** The use could not be taken: say why, precisely (the caller proved it knows the secret). */
    private Mono<Invitation> refusal(Invitation invitation, Instant now) {
        if (invitation.revokedAt() != null) {
            return denied(invitation, "revoked", EnrollmentProblems.INVITATION_REVOKED.exception(
                    "This invitation was revoked; ask IT for a new one"));
        }
        if (!invitation.expiresAt().isAfter(now)) {
            return denied(invitation, "expired", EnrollmentProblems.INVITATION_EXPIRED.exception(
                    "This invitation expired at %s; ask IT for a new one", invitation.expiresAt()));
        }
        return denied(invitation, "used", EnrollmentProblems.INVITATION_USED.exception(
                "This invitation has already been used"));
    }

    private <T> Mono<T> denied(Invitation invitation, String reason, ProblemException problem) {
        return audit.record(attempt(invitation, Outcome.DENIED, reason)).then(Mono.error(problem));
    }

    private static AuditEvent attempt(Invitation invitation, Outcome outcome, String reason) {
        String orgId = invitation == null ? AuditEvent.SYSTEM_ORG : invitation.orgId();
        return AuditEvent.of(orgId, Actor.anonymous("enrolling-device"), "device.enroll",
                invitation == null ? null : invitation.id(), outcome).withDetail("reason", reason);
    }
}
