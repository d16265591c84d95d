package org.wardfleet.enrollment.internal;

import org.wardfleet.platform.security.DevicePrincipal;

import reactor.core.publisher.Mono;

/**
 * Enrolling a device with an invitation and renewing its certificate. Implemented by {@link DeviceEnrollment}, which
 * acts (and records each enrollment attempt, refusals included, as it goes), and {@link AuditedDeviceEnrollments},
 * which records a renewal once it is done: the bean the controllers get.
 */
interface DeviceEnrollments {

    /** JSON API: the invitation secret is the token. */
    Mono<DeviceEnrollment.Result> redeem(String secret, DeviceEnrollment.Request request);

    /** EST: HTTP Basic with the invitation id and secret. */
    Mono<DeviceEnrollment.Result> redeem(String invitationId, String secret, DeviceEnrollment.Request request);

    /** Re-enrollment with the current certificate: same device, new certificate, the old one revoked. */
    Mono<DeviceEnrollment.Result> renew(DevicePrincipal caller, String csr);
}
