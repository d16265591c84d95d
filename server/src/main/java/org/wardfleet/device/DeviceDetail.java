package org.wardfleet.device;

import java.util.List;

/**
 * A device with its timeline (newest first), its recent remote actions (newest first) and whether its current
 * certificate is revoked ({@code GOOD}, {@code REVOKED}, {@code UNKNOWN}).
 */
public record DeviceDetail(Device device, List<DeviceEvent> timeline, List<DeviceAction> actions,
        String certificateStatus) {

    public DeviceDetail {
        timeline = List.copyOf(timeline);
        actions = List.copyOf(actions);
    }
}
