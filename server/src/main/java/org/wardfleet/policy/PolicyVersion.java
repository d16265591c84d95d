package org.wardfleet.policy;

import java.time.Instant;
import java.util.Map;

/** One immutable version: its settings (nested as in the YAML) and the text that was submitted. */
public record PolicyVersion(String policyId, String name, int version, String description, String hash,
        Map<String, Object> settings, String source, Instant createdAt, String createdBy, Instant publishedAt) {
}
