package org.wardfleet.compliance;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.wardfleet.device.Device;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Devices' compliance as IT reads it ({@code ADMIN}, {@code SECURITY}) — the API and the console both call this. The
 * state is "as of now": a device whose last report is older than its policy allows is NON_COMPLIANT
 * (ATTESTATION_STALE) even before the sweep has recorded it.
 */
public interface DeviceCompliance {

    /** The device's state, reasons and its last 50 evaluated reports, newest first; 404 if not in the organisation. */
    Mono<ComplianceHistory> history(Caller caller, String deviceId);

    /** The state of each of {@code devices} (a page of the fleet list): one read of their records and the policies. */
    Mono<Map<String, ComplianceState>> states(Caller caller, Collection<Device> devices);

    /**
     * The ids of the organisation's devices that still take instructions and are in {@code state} now: a filter for
     * the fleet list. Reads every such device and compliance record of the organisation.
     */
    Mono<Set<String>> devicesIn(Caller caller, ComplianceState state);

    /** The organisation's counts now (what {@code GET /api/v1/compliance/summary} answers). */
    Mono<ComplianceSummary> summary(Caller caller);

    /**
     * The counts of each of the last {@code days} days (1..90), oldest first, today's as of now: from the daily
     * snapshots ({@code compliance_daily}), one read by id per day.
     */
    Mono<List<ComplianceDay>> daily(Caller caller, int days);

    /** The enforcement ladder's steps still to run in the organisation, soonest first, at most {@code limit} (1..200). */
    Mono<PendingEnforcement> pendingEnforcement(Caller caller, int limit);
}
