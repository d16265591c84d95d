package org.wardfleet.policy;

import java.time.Instant;
import java.util.List;

/** A policy with its versions (oldest first) and its assignments (highest priority first). */
public record PolicyDetail(String id, String name, int latestVersion, Integer publishedVersion, String source,
        List<VersionSummary> versions, List<Assignment> assignments) {

    public record VersionSummary(int version, String hash, Instant createdAt, String createdBy, Instant publishedAt) {
    }

    /** {@code targetType}: {@code ownership}, {@code group}, {@code platform} or {@code deviceId}. */
    public record Assignment(String id, String policyId, String targetType, String target, int priority,
            Instant createdAt) {
    }
}
