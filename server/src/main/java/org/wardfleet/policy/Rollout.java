package org.wardfleet.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A policy's rollout over the reachable devices it applies to, derived from what each device fetched and reported,
 * never from "push sent".
 *
 * @param counts per device: {@code pending}, {@code notified}, {@code fetched}, {@code applied}, {@code failed}
 *     (a setting failed) and {@code notSupported} (nothing failed, but a setting could not be enforced)
 * @param settings per setting of the published version (the latest when none is published), with the controls it serves
 */
public record Rollout(String policyId, String name, Integer publishedVersion, int devices, Map<String, Integer> counts,
        List<Failure> failures, List<Setting> settings) {

    public static final int MAX_DEVICES = 1000;

    public record Failure(String deviceId, String setting, String reason, Instant reportedAt) {
    }

    /**
     * @param counts devices by {@link SettingResult#key()}: {@code applied}, {@code failed}, {@code notSupported},
     *     {@code waiting} (not reported on its current policy yet), {@code notApplicable} (not for its platform or
     *     ownership model)
     * @param controls the NIST SP 800-53 / SP 800-124r2 / SP 1800-4 (and HIPAA) references the setting serves
     */
    public record Setting(String setting, Object value, List<String> controls, String description,
            Map<String, Integer> counts) {
    }
}
