package org.wardfleet.audit;

import java.time.Instant;
import java.util.Map;

/** A stored, chained audit entry as the API shows it. */
public record AuditEntry(long seq, Instant at, String actorType, String actorId, String action, String target,
        String outcome, Map<String, String> details, String requestId, String sourceAddress, String prevHash,
        String hash) {
}
