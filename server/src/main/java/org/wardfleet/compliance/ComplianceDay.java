package org.wardfleet.compliance;

import java.time.LocalDate;
import java.util.Map;

/**
 * One day (UTC) of the organisation's compliance counts: the last snapshot taken that day, or — for today — the counts
 * as of now. {@code byState} is null for a day without a snapshot (before the feature ran, or the server was down
 * all day): a gap, not zeros.
 */
public record ComplianceDay(LocalDate day, Map<String, Integer> byState) {

    /** The count of {@code state} that day, or null without a snapshot. */
    public Integer count(ComplianceState state) {
        return byState == null ? null : byState.getOrDefault(state.name(), 0);
    }
}
