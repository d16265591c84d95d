/**
 * Reaching devices: the device-authenticated WebSocket stream ({@code /device/v1/stream}) for devices that are
 * connected to any instance, and Firebase Cloud Messaging data-only wake-ups for the rest. Push only wakes a device:
 * what happened is proven by the device's own later request, never by "push sent".
 */
@org.springframework.modulith.ApplicationModule(displayName = "Push",
        allowedDependencies = {"platform :: web", "platform :: time", "platform :: mongo",
            "platform :: security", "platform :: secrets", "device"})
package org.wardfleet.push;
