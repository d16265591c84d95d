package org.wardfleet.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.policy.EffectivePolicy;

/**
 * Many devices' effective policies at once (a fan-out, a broadcast's access check) are computed once per kind of
 * device — but every device still gets exactly what it would get on its own: its own id, its own device-targeted
 * settings, and nothing its ownership forbids (location on a staff-owned phone).
 */
class PolicySnapshotsTests {

    private final PolicySnapshots snapshots = new PolicySnapshots(null, null, PolicySchema.load());

    @Test
    void aFleetEvaluatorGivesEachDeviceWhatItWouldGetAlone() {
        PolicySnapshots.Snapshot snapshot = new PolicySnapshots.Snapshot(7, List.of(
                entry("a1", "ownership", "COPE", 100, "cope", Map.of("passcode.minLength", 8,
                        "location.reportingEnabled", true)),
                entry("a2", "ownership", "BYOD", 100, "byod", Map.of("passcode.minLength", 6,
                        "location.reportingEnabled", true)),
                entry("a3", "deviceId", "icu-phone", 500, "icu", Map.of("passcode.minLength", 10)),
                entry("a4", "group", "theatres", 200, "theatres", Map.of("checkIn.intervalMinutes", 15))));
        List<Device> fleet = List.of(device("ward-1", Ownership.COPE), device("ward-2", Ownership.COPE),
                device("icu-phone", Ownership.COPE), device("own-1", Ownership.BYOD), device("own-2", Ownership.BYOD),
                device("theatre-1", Ownership.COPE, "theatres"));

        Function<Device, EffectivePolicy> evaluator = snapshots.evaluator(snapshot);
        for (Device device : fleet) {
            assertThat(evaluator.apply(device)).isEqualTo(snapshots.effective(snapshot, device));
        }
        assertThat(evaluator.apply(fleet.get(2)).settings()).containsEntry("passcode.minLength", 10);
        assertThat(evaluator.apply(fleet.get(1)).settings()).containsEntry("passcode.minLength", 8)
                .containsEntry("location.reportingEnabled", true);
        assertThat(evaluator.apply(fleet.get(4)).settings()).containsEntry("passcode.minLength", 6)
                .doesNotContainKey("location.reportingEnabled");
        assertThat(evaluator.apply(fleet.get(5)).settings()).containsEntry("checkIn.intervalMinutes", 15);
        assertThat(evaluator.apply(fleet.get(0)).settings()).doesNotContainKey("checkIn.intervalMinutes");
        // one computation per kind: the two ward phones share their settings
        assertThat(evaluator.apply(fleet.get(0)).settings()).isSameAs(evaluator.apply(fleet.get(1)).settings());
    }

    private static PolicySnapshots.Entry entry(String id, String targetType, String target, int priority,
            String policy, Map<String, Object> settings) {
        return new PolicySnapshots.Entry(new PolicyRepository.StoredAssignment(id, "org", "policy-" + policy,
                targetType, target, priority, Instant.EPOCH), policy, 1, settings);
    }

    private static Device device(String id, Ownership ownership, String... groups) {
        return new Device(id, "org", ownership, DevicePlatform.ANDROID, "Pixel 8", "15", "2026-10-01", "1.0",
                "user-" + id, List.of(groups), "serial-" + id, Instant.EPOCH, null, Instant.EPOCH, Instant.EPOCH,
                DeviceState.ACTIVE, List.of(), null, null);
    }
}
