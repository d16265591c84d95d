package org.wardfleet.compliance;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/** Conditional access: may this device reach patient data now? Messaging and other hospital apps ask this. */
public interface DeviceAccess {

    Mono<Decision> decide(String orgId, String deviceId);

    /** {@code reasons}: machine-readable, each with a {@code code} (e.g. {@code BOOTLOADER_UNLOCKED}). */
    record Decision(boolean allowed, ComplianceState state, List<Map<String, Object>> reasons) {
    }
}
