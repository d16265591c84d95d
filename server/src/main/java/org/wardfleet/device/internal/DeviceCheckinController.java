package org.wardfleet.device.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.conversions.Bson;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.device.ActionType;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import com.mongodb.client.model.Updates;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The device's regular contact: refreshes last-seen and inventory, and collects pending actions. Personal data a
 * BYOD device might send is not even bound: the request type has no field for it.
 */
@RestController
class DeviceCheckinController {

    private final DeviceRepository devices;
    private final RemoteActions remoteActions;
    private final Clock clock;

    DeviceCheckinController(DeviceRepository devices, RemoteActions remoteActions, Clock clock) {
        this.devices = devices;
        this.remoteActions = remoteActions;
        this.clock = clock;
    }

    record CheckIn(@Size(max = 64) String osVersion,
            @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String securityPatchLevel,
            @Size(max = 64) String appVersion, @Size(max = 128) String model,
            @Size(max = 4096) String pushToken) {
    }

    record PendingAction(String id, ActionType type, Instant createdAt) {
    }

    /** {@code boundToUser}: for a device assigned to a person, whether they bound it (else absent). */
    record CheckInResponse(String deviceId, String state, Instant serverTime, List<PendingAction> pendingActions,
            Boolean boundToUser) {
    }

    record ActionResult(@Pattern(regexp = "DONE|FAILED") String result, @Size(max = 500) String message) {
    }

    record ActionResultResponse(String id, ActionType type, String state) {
    }

    @Operation(summary = "Check in: inventory, push token; pending remote actions come back")
    @PostMapping("/device/v1/checkin")
    Mono<CheckInResponse> checkIn(DevicePrincipal device, @Valid @RequestBody CheckIn body) {
        Instant now = clock.instant();
        return devices.checkIn(device.orgId(), device.deviceId(), now, inventory(body))
                .flatMap(updated -> remoteActions.handOver(device.orgId(), device.deviceId())
                        .map(open -> new CheckInResponse(updated.id(), updated.state().name(), now,
                                open.stream().map(a -> new PendingAction(a.id(), a.type(), a.createdAt())).toList(),
                                updated.assignedUserId() == null ? null : updated.boundToUser())));
    }

    @Operation(summary = "Report the result of a remote action")
    @Problems({"409 conflict"})
    @PostMapping("/device/v1/actions/{id}/result")
    Mono<ActionResultResponse> result(DevicePrincipal device, @PathVariable String id,
            @Valid @RequestBody ActionResult body) {
        return remoteActions.complete(device.orgId(), device.deviceId(), id,
                        !"FAILED".equals(body.result()), body.message())
                .map(a -> new ActionResultResponse(a.id(), a.type(), a.state().name()));
    }

    private static Bson inventory(CheckIn body) {
        List<Bson> updates = new ArrayList<>();
        if (body.osVersion() != null) {
            updates.add(Updates.set("osVersion", body.osVersion()));
        }
        if (body.securityPatchLevel() != null) {
            updates.add(Updates.set("securityPatchLevel", body.securityPatchLevel()));
        }
        if (body.appVersion() != null) {
            updates.add(Updates.set("appVersion", body.appVersion()));
        }
        if (body.model() != null) {
            updates.add(Updates.set("model", body.model()));
        }
        if (body.pushToken() != null && !body.pushToken().isBlank()) {
            // one current token per device: FCM rotates them, and a stale token only wastes a send
            updates.add(Updates.set("pushTokens", List.of(body.pushToken())));
        }
        return updates.isEmpty() ? Updates.combine() : Updates.combine(updates);
    }
}
