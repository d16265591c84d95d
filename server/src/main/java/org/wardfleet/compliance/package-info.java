/**
 * Compliance: nonce-bound, device-signed posture reports with optional hardware evidence, evaluated against each
 * device's effective policy; state history, summary, and the conditional-access answer other systems ask for.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Compliance",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo", "identity",
            "platform :: security", "audit", "device",
            "policy", "attestation", "events", "push"})
package org.wardfleet.compliance;
