package org.wardfleet.device;

/**
 * Published by the device feature once a device's certificate was replaced (renewal, re-enrollment) and the stored
 * device names the new one, {@code certificateSerial}: what was issued to or opened with the old credential (message
 * keys, streams) ends now; what the device obtained under the new one from {@code replacedAt} on stays. In-process,
 * like {@link DeviceRetired}, with the same slow sweep behind it.
 */
public record DeviceCredentialReplaced(String orgId, String deviceId, String certificateSerial,
        java.time.Instant replacedAt) {
}
