package org.wardfleet.device;

import java.time.Instant;
import java.util.List;

/**
 * An enrolled device. {@code hardware} holds serial number and IMEI for hospital-owned devices only; for BYOD it is
 * always null (NIST SP 1800-22: no personal identifiers). {@code userBoundAt}: when the assigned user bound the device
 * with their own authentication (signed in during enrollment, or approved it from a session of theirs); until then it
 * gets policies but none of that person's messages, because whoever holds an invitation — an administrator included —
 * may enroll a key of their own for that person.
 */
public record Device(String id, String orgId, Ownership ownership, DevicePlatform platform, String model,
        String osVersion, String securityPatchLevel, String appVersion, String assignedUserId, List<String> groups,
        String certificateSerial, Instant certificateNotAfter, String publicKey, Instant enrolledAt,
        Instant lastSeenAt, DeviceState state, List<String> pushTokens, Hardware hardware, String invitationId,
        Instant userBoundAt) {

    public Device {
        groups = groups == null ? List.of() : List.copyOf(groups);
        pushTokens = pushTokens == null ? List.of() : List.copyOf(pushTokens);
    }

    /** A device not (yet) bound by its user. */
    public Device(String id, String orgId, Ownership ownership, DevicePlatform platform, String model,
            String osVersion, String securityPatchLevel, String appVersion, String assignedUserId, List<String> groups,
            String certificateSerial, Instant certificateNotAfter, String publicKey, Instant enrolledAt,
            Instant lastSeenAt, DeviceState state, List<String> pushTokens, Hardware hardware, String invitationId) {
        this(id, orgId, ownership, platform, model, osVersion, securityPatchLevel, appVersion, assignedUserId, groups,
                certificateSerial, certificateNotAfter, publicKey, enrolledAt, lastSeenAt, state, pushTokens, hardware,
                invitationId, null);
    }

    /** Its assigned user has bound it: it may hold a message key and receive that person's messages. */
    public boolean boundToUser() {
        return assignedUserId != null && userBoundAt != null;
    }

    /** Hardware identifiers, collected for COPE and SHARED devices only. */
    public record Hardware(String serialNumber, String imei) {
    }
}
