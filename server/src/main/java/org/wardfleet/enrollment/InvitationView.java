package org.wardfleet.enrollment;

import java.time.Instant;
import java.util.List;

import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;

/** An invitation without its secret. {@code state}: OPEN, USED, EXPIRED or REVOKED. */
public record InvitationView(String id, Ownership ownership, DevicePlatform platform, int maxUses, int remaining,
        String assignedUserId, List<String> groups, Instant expiresAt, Instant createdAt, Instant revokedAt,
        String state) {

    public boolean open() {
        return "OPEN".equals(state);
    }
}
