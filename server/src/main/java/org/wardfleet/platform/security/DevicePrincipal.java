package org.wardfleet.platform.security;

/**
 * An enrolled device that proved possession of its key on this request (mutual TLS or a device-signed JWT).
 * {@code assignedUserId} is null for shared devices.
 */
public record DevicePrincipal(String deviceId, String orgId, String ownership, String assignedUserId,
        String certificateSerial) {
}
