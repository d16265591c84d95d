package org.wardfleet.device;

import java.time.Instant;

/**
 * A remote action as IT sees it. {@code delivery}: WAITING, DELIVERED_TO_DEVICE (the device fetched it;
 * {@code deliveredAt}), ACKNOWLEDGED_BY_DEVICE (it reported its result; {@code acknowledgedAt}) or NOT_DELIVERED
 * (closed before it was fetched); {@code wokenAt}/{@code wokenVia}: the last wake-up (STREAM, PUSH, or NONE when
 * nothing could reach the device and it waits for its next check-in).
 */
public record DeviceAction(String id, ActionType type, String state, Instant createdAt, Instant deliveredAt,
        Instant completedAt, String message, String delivery, Instant acknowledgedAt, Instant wokenAt,
        String wokenVia) {
}
