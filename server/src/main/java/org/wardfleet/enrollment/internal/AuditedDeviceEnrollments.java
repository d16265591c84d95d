package org.wardfleet.enrollment.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.DevicePrincipal;

import reactor.core.publisher.Mono;

/**
 * {@link DeviceEnrollments} audited: a renewal is recorded once the new certificate is stored and the old one
 * superseded, and the answer waits for the entry. Redemptions pass through: each attempt's entry (refused ones too)
 * is written inside the enrollment, where its outcome is decided.
 */
@Primary
@Component
class AuditedDeviceEnrollments implements DeviceEnrollments {

    private final DeviceEnrollments enrollment;
    private final AuditLog audit;

    @Autowired
    AuditedDeviceEnrollments(DeviceEnrollment enrollment, AuditLog audit) {
        this((DeviceEnrollments) enrollment, audit);
    }

    AuditedDeviceEnrollments(DeviceEnrollments enrollment, AuditLog audit) {
        this.enrollment = enrollment;
        this.audit = audit;
    }

    @Override
    public Mono<DeviceEnrollment.Result> redeem(String secret, DeviceEnrollment.Request request) {
        return enrollment.redeem(secret, request);
    }

    @Override
    public Mono<DeviceEnrollment.Result> redeem(String invitationId, String secret, DeviceEnrollment.Request request) {
        return enrollment.redeem(invitationId, secret, request);
    }

    @Override
    public Mono<DeviceEnrollment.Result> renew(DevicePrincipal caller, String csr) {
        return audit.after(enrollment.renew(caller, csr), renewed -> AuditEvent.of(renewed.device().orgId(),
                        Actor.device(renewed.device().id()), "device.renew", renewed.device().id(), Outcome.SUCCESS)
                .withDetail("serial", renewed.certificate().serial()));
    }
}
