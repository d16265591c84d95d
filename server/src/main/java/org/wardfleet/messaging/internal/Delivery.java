package org.wardfleet.messaging.internal;

/** A message queued for one device: {@code seq} orders the device's inbox and is its fetch cursor. */
record Delivery(String messageId, String deviceId, String userId, long seq) {
}
