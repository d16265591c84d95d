package org.wardfleet.device;

import java.time.Instant;
import java.util.List;

/**
 * What enrollment knows when it registers a device; {@code hardware} is dropped for BYOD whatever it holds.
 * {@code boundByUser}: the assigned user authenticated the enrollment themselves (see {@link Device#userBoundAt()}).
 */
public record NewDevice(String id, String orgId, Ownership ownership, DevicePlatform platform, String model,
        String osVersion, String securityPatchLevel, String appVersion, String assignedUserId, List<String> groups,
        String certificateSerial, Instant certificateNotAfter, String publicKey, Device.Hardware hardware,
        String invitationId, boolean boundByUser) {
}
