package org.wardfleet.device.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The inventory for IT ({@code ADMIN}, {@code SECURITY} read-only) and, for clinicians, their own devices. Remote
 * actions are {@code ADMIN} only.
 */
@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

    private final DeviceRepository devices;
    private final DeviceTimeline timeline;
    private final ActionRepository actions;
    private final RemoteActions remoteActions;

    DeviceController(DeviceRepository devices, DeviceTimeline timeline, ActionRepository actions,
            RemoteActions remoteActions) {
        this.devices = devices;
        this.timeline = timeline;
        this.actions = actions;
        this.remoteActions = remoteActions;
    }

    record DevicePage(List<Device> items, int page, int size, long total) {
    }

    record DeviceDetail(Device device, List<DeviceTimeline.Event> timeline, List<ActionView> actions) {
    }

    /**
     * An action as IT sees it. {@code delivery}: WAITING, DELIVERED_TO_DEVICE (the device fetched it;
     * {@code deliveredAt}), ACKNOWLEDGED_BY_DEVICE (it reported its result; {@code acknowledgedAt}) or NOT_DELIVERED
     * (closed before it was fetched); {@code wokenAt}/{@code wokenVia}: the last wake-up (STREAM, PUSH, or NONE when
     * nothing could reach the device and it waits for its next check-in).
     */
    record ActionView(String id, ActionType type, String state, Instant createdAt, Instant deliveredAt,
            Instant completedAt, String message, String delivery, Instant acknowledgedAt, Instant wokenAt,
            String wokenVia) {

        static ActionView of(ActionRepository.Action a) {
            return new ActionView(a.id(), a.type(), a.state().name(), a.createdAt(), a.deliveredAt(),
                    a.completedAt(), a.message(), a.delivery().name(), a.acknowledgedAt(), a.wokenAt(),
                    a.wokenVia() == null ? null : a.wokenVia().name());
        }
    }

    record ActionRequest(@NotNull ActionType type, @Size(max = 500) String reason) {
    }

    @Operation(summary = "List devices, filtered, paged (clinicians: their own)")
    @GetMapping
    Mono<DevicePage> list(Caller caller, @RequestParam(required = false) DeviceState state,
            @RequestParam(required = false) Ownership ownership, @RequestParam(required = false) String platform,
            @RequestParam(required = false) String group, @RequestParam(required = false) String text,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > 200 || (text != null && text.length() > 100)) {
            throw ProblemType.VALIDATION_FAILED.exception("page >= 0, size 1..200, text at most 100 characters");
        }
        // clinicians see only the devices assigned to them
        String onlyUser = caller.has(Role.ADMIN) || caller.has(Role.SECURITY) ? null : caller.userId();
        var query = new DeviceRepository.Query(state, ownership,
                platform == null ? null : DevicePlatform.fromWire(platform), group, text, onlyUser, page, size);
        return devices.list(caller.orgId(), query).collectList()
                .zipWith(devices.count(caller.orgId(), query))
                .map(t -> new DevicePage(t.getT1(), page, size, t.getT2()));
    }

    @Operation(summary = "A device with its timeline and remote actions")
    @GetMapping("/{id}")
    Mono<DeviceDetail> get(Caller caller, @PathVariable String id) {
        return devices.find(caller.orgId(), id)
                .filter(d -> caller.has(Role.ADMIN) || caller.has(Role.SECURITY)
                        || caller.userId().equals(d.assignedUserId()))
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(d -> timeline.of(caller.orgId(), id).collectList()
                        .zipWith(actions.history(caller.orgId(), id, 50).map(ActionView::of).collectList())
                        .map(t -> new DeviceDetail(d, t.getT1(), t.getT2())));
    }

    @Operation(summary = "Request a remote action: lock, selective wipe, wipe, retire (ADMIN)")
    @ApiResponse(responseCode = "202", description = "Accepted: the device is woken to fetch it")
    @Problems({"403 forbidden", "409 byod-full-wipe-refused", "409 device-not-active"})
    @PostMapping("/{id}/actions")
    Mono<ResponseEntity<ActionView>> act(Caller caller, @PathVariable String id,
            @Valid @RequestBody ActionRequest body) {
        caller.requireAny(Role.ADMIN);
        return remoteActions.request(caller, id, body.type())
                .map(a -> ResponseEntity.accepted().location(URI.create("/api/v1/devices/" + id + "/actions/" + a.id()))
                        .body(ActionView.of(a)));
    }

    static ProblemException notFound(String id) {
        return ProblemType.NOT_FOUND.exception("No device %s in your organisation", id);
    }
}
