package org.wardfleet.device;

import java.time.Instant;
import java.util.List;

/**
 * An enrolled device. {@code hardware} holds serial number and IMEI for hospital-owned devices only; for BYOD it is
 * always null (NIST SP 1800-22: no personal identifiers).
 */
public record Device(String id, String orgId, Ownership ownership, DevicePlatform platform, String model,
        String osVersion, String securityPatchLevel, String appVersion, String assignedUserId, List<String> groups,
        String certificateSerial, Instant certificateNotAfter, String publicKey, Instant enrolledAt,
        Instant lastSeenAt, DeviceState state, List<String> pushTokens, Hardware hardware, String invitationId) {

    public Device {
        groups = groups == null ? List.of() : List.copyOf(groups);
        pushTokens = pushTokens == null ? List.of() : List.copyOf(pushTokens);
    }

    /** Hardware identifiers, collected for COPE and SHARED devices only. */
    public record Hardware(String serialNumber, String imei) {
    }
}
