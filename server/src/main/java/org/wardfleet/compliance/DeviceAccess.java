package org.wardfleet.compliance;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/** Conditional access: may this device reach patient data now? Messaging and other hospital apps ask this. */
public interface DeviceAccess {

    Mono<Decision> decide(String orgId, String deviceId);

    /**
     * Decisions for many devices of one organisation at once (a broadcast's audience): the same rules as
     * {@link #decide}, with one read of their compliance records and the organisation's policies. Device id →
     * decision.
     */
    Mono<Map<String, Decision>> decideAll(String orgId, List<org.wardfleet.device.Device> devices);

    /** {@code reasons}: machine-readable, each with a {@code code} (e.g. {@code BOOTLOADER_UNLOCKED}). */
    record Decision(boolean allowed, ComplianceState state, List<Map<String, Object>> reasons) {
    }
}
