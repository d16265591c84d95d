package org.wardfleet.device;

import java.time.Instant;

/** One entry of a device's timeline: what happened to it, in words for IT; no personal data. */
public record DeviceEvent(Instant at, String type, String detail) {
}
