package org.wardfleet.device;

/**
 * Published by the device feature once a device is stored as RETIRED or WIPED and its certificate revoked: its
 * credentials no longer authenticate, so whatever other features hold for it (message keys, open streams) ends now.
 * An in-process event ({@code ApplicationEventPublisher}); listeners act on their own instance and reach the others
 * through storage. A crash between the write and the event loses the event: listeners keep a slow sweep for that.
 */
public record DeviceRetired(String orgId, String deviceId, DeviceState state) {
}
