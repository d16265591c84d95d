package org.wardfleet.device.internal;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.DeviceAction;
import org.wardfleet.device.DeviceDetail;
import org.wardfleet.device.DeviceInventory;
import org.wardfleet.device.DevicePage;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceQuery;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.platform.security.Caller;
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
 * actions are {@code ADMIN} only. The rules live in {@link DeviceInventory}, which the console calls too.
 */
@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

    private final DeviceInventory inventory;

    DeviceController(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    record ActionRequest(@NotNull ActionType type, @Size(max = 500) String reason) {
    }

    @Operation(summary = "List devices, filtered, paged (clinicians: their own)")
    @GetMapping
    Mono<DevicePage> list(Caller caller, @RequestParam(required = false) DeviceState state,
            @RequestParam(required = false) Ownership ownership, @RequestParam(required = false) String platform,
            @RequestParam(required = false) String group, @RequestParam(required = false) String text,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return inventory.list(caller, DeviceQuery.of(state, ownership,
                platform == null ? null : DevicePlatform.fromWire(platform), group, text, page, size));
    }

    @Operation(summary = "A device with its timeline and remote actions")
    @GetMapping("/{id}")
    Mono<DeviceDetail> get(Caller caller, @PathVariable String id) {
        return inventory.detail(caller, id);
    }

    @Operation(summary = "Request a remote action: lock, selective wipe, wipe, retire (ADMIN)")
    @ApiResponse(responseCode = "202", description = "Accepted: the device is woken to fetch it")
    @Problems({"403 forbidden", "409 byod-full-wipe-refused", "409 device-not-active"})
    @PostMapping("/{id}/actions")
    Mono<ResponseEntity<DeviceAction>> act(Caller caller, @PathVariable String id,
            @Valid @RequestBody ActionRequest body) {
        return inventory.act(caller, id, body.type())
                .map(a -> ResponseEntity.accepted().location(URI.create("/api/v1/devices/" + id + "/actions/" + a.id()))
                        .body(a));
    }

    static ProblemException notFound(String id) {
        return ProblemType.NOT_FOUND.exception("No device %s in your organisation", id);
    }
}
