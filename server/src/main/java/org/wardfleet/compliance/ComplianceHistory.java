package org.wardfleet.compliance;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A device's compliance now ({@code since}: when it entered this state) and its evaluated reports, newest first. */
public record ComplianceHistory(String deviceId, ComplianceState state, List<Map<String, Object>> reasons,
        Instant since, Instant lastReportAt, List<ComplianceReport> reports) {

    /** The newest report, or null before the first. */
    public ComplianceReport latest() {
        return reports.isEmpty() ? null : reports.get(0);
    }
}
