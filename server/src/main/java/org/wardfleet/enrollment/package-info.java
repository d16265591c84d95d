/**
 * Enrollment: invitations (one-time or N-use secrets, QR codes), redeeming them for a device certificate through the
 * JSON API or EST (RFC 7030), and renewal with the current certificate.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Enrollment",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security", "audit", "identity",
            "device", "pki"})
package org.wardfleet.enrollment;
