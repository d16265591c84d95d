package org.wardfleet.policy;

import java.time.Instant;

/** A policy in the list; {@code source} is {@code directory} for the policy files (baselines), else {@code api}. */
public record PolicySummary(String id, String name, int latestVersion, Integer publishedVersion, String source,
        Instant createdAt) {
}
