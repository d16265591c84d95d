/**
 * Policies as code: documents validated against {@code policies/schema}, versioned and published, assigned to
 * ownership models, platforms, groups or single devices; each device's effective policy merged deterministically,
 * signed (JWS) for the device, and its rollout followed per device.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Policy",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security", "platform :: secrets",
            "audit", "identity", "device", "push"})
package org.wardfleet.policy;
