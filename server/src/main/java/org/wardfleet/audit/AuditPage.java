package org.wardfleet.audit;

import java.util.List;

/** One page of an audit search, newest first; {@code total}: how many entries match in all. */
public record AuditPage(List<AuditEntry> items, int page, int size, long total) {

    /** How many pages the matching entries fill (at least 1). */
    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }
}
