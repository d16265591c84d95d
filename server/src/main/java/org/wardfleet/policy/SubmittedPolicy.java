package org.wardfleet.policy;

/** The answer to a submitted document; {@code created} is false when it was already the latest version. */
public record SubmittedPolicy(String id, String name, int version, String hash, boolean created,
        Integer publishedVersion) {
}
