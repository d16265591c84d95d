/**
 * Enrolled devices: inventory, lifecycle state, the device timeline, remote actions handed over at check-in, and
 * proof of which device is calling ({@code /device/v1/**}: mutual TLS or a device-signed JWT).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Device",
        allowedDependencies = {"platform :: web", "platform :: mongo", "platform :: security", "platform :: time",
            "audit", "pki",
            "identity", "events"})
package org.wardfleet.device;
