package org.wardfleet.enrollment;

import java.time.Instant;
import java.util.List;

import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;

/** A new invitation with its secret, enrollment link and QR code ({@code data:} PNG): shown once, never stored. */
public record CreatedInvitation(String id, String secret, String enrollmentUrl, String qrCodeUrl, Instant expiresAt,
        Ownership ownership, DevicePlatform platform, int maxUses, String assignedUserId, List<String> groups) {

    @Override
    public String toString() {
        return "CreatedInvitation[id=" + id + ", secret=***]";
    }
}
