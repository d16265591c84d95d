package org.wardfleet.audit.internal;

import java.time.Instant;

/** Filters and paging for {@code GET /api/v1/audit}. */
record AuditQuery(String actor, String action, Instant from, Instant to, int page, int size) {

    static final int MAX_SIZE = 200;
}
