package org.wardfleet.enrollment.internal;

import java.time.Instant;
import java.util.List;

import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;

/** An invitation as stored: only the SHA-256 of its secret, never the secret. */
record Invitation(String id, String orgId, Ownership ownership, DevicePlatform platform, String assignedUserId,
        List<String> groups, int maxUses, int remaining, Instant expiresAt, String secretHash, String createdBy,
        Instant createdAt, Instant revokedAt) {
}
