package org.wardfleet.events;

import java.time.Instant;
import java.util.Map;

/** One published security event. {@code subject}: usually a device id, or null (e.g. a burst). */
public record SecurityEvent(String id, String orgId, String type, String subject, Instant at,
        Map<String, Object> details) {

    /** As the stream and the webhook send it (JSON). */
    public Map<String, Object> wire() {
        return Map.of("id", id, "orgId", orgId, "type", type, "subject", subject == null ? "" : subject,
                "at", at.toString(), "details", details);
    }
}
