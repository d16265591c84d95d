/**
 * Hardware evidence about a device, verified: Android Key Attestation certificate chains and Apple App Attest
 * attestation objects. Results say whether the evidence is genuine (and why not) apart from what it says about the
 * device (locked bootloader, patch level), which compliance evaluates.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Attestation",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security",
            "platform :: time"})
package org.wardfleet.attestation;
