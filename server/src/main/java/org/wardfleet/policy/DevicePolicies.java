package org.wardfleet.policy;

import reactor.core.publisher.Mono;

/** Each device's effective policy, as other features (compliance) use it. */
public interface DevicePolicies {

    /** Empty when the device is unknown in this organisation. */
    Mono<EffectivePolicy> effective(String orgId, String deviceId);

    /** The same for a device the caller already loaded (saves a read). */
    Mono<EffectivePolicy> effective(org.wardfleet.device.Device device);

    /** For many devices of one organisation: one snapshot of its policies, then no reads per device. */
    Mono<java.util.function.Function<org.wardfleet.device.Device, EffectivePolicy>> evaluator(String orgId);
}
