package org.wardfleet.policy.internal;

import java.util.Map;

/** A validated policy document: its name, and its settings flat by dotted path, in schema order. */
record PolicyDocument(String name, String description, DefaultAssignment defaultAssignment,
        Map<String, Object> settings) {

    PolicyDocument {
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    /** For policies installed from the policies directory: the ownership model they serve out of the box. */
    record DefaultAssignment(String ownership, int priority) {
    }
}
