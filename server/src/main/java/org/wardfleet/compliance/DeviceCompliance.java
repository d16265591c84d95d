package org.wardfleet.compliance;

import java.util.Collection;
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
}
