package org.wardfleet.policy;

import java.util.List;
import java.util.Map;

/**
 * What one device must enforce: every applicable setting with its value, where each value came from, and what was
 * left out for this device (not for its platform, or forbidden for its ownership model, e.g. location on BYOD).
 *
 * @param settings flat, by dotted path ({@code passcode.minLength}), in schema order
 * @param version a hash of the settings: equal settings, equal version
 * @param generation the organisation's policy generation this was computed from (grows with every change)
 */
public record EffectivePolicy(String deviceId, String version, long generation, Map<String, Object> settings,
        Map<String, Source> sources, List<Excluded> excluded, List<PolicyRef> policies) {

    /** The policy version that supplied a setting's value (for {@code union} settings, the first of several). */
    public record Source(String policyId, String policyName, int version) {
    }

    public record Excluded(String path, String policyName, String reason) {
    }

    public record PolicyRef(String id, String name, int version) {
    }
}
