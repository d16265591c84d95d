package org.wardfleet.attestation.internal;

import java.time.Instant;
import java.util.Map;

/**
 * A copy of Google's attestation revocation list: lower-case hex serial → status, and when it was last fetched.
 * {@code fetchedAt == null} means no copy was ever obtained.
 */
record RevocationStatus(Map<String, String> entries, Instant fetchedAt) {

    static final RevocationStatus NONE = new RevocationStatus(Map.of(), null);

    RevocationStatus {
        entries = Map.copyOf(entries);
    }

    boolean fresh(Instant now, java.time.Duration maxAge) {
        return fetchedAt != null && !fetchedAt.plus(maxAge).isBefore(now);
    }
}
