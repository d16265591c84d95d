package org.wardfleet.policy;

import reactor.core.publisher.Mono;

/** Each device's effective policy, as other features (compliance) use it. */
public interface DevicePolicies {

    /**
     * A device's effective policy with where each value came from, as IT reads it ({@code ADMIN}, {@code SECURITY});
     * the API and the console call this. 404 when the device is not in the caller's organisation.
     */
    Mono<EffectivePolicy> effective(org.wardfleet.platform.security.Caller caller, String deviceId);

    /** Empty when the device is unknown in this organisation. */
    Mono<EffectivePolicy> effective(String orgId, String deviceId);

    /** The same for a device the caller already loaded (saves a read). */
    Mono<EffectivePolicy> effective(org.wardfleet.device.Device device);

    /** For many devices of one organisation: one snapshot of its policies, then no reads per device. */
    Mono<java.util.function.Function<org.wardfleet.device.Device, EffectivePolicy>> evaluator(String orgId);
}
