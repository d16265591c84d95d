package org.wardfleet.device.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceQuery;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/**
 * A person's own devices, and binding one to themselves. Whoever holds an invitation assigned to someone — an
 * administrator who created it, say — can enroll a key of their own for that person; such a device gets policies
 * but none of the person's messages until the person binds it with their own session: here, or by signing in during
 * enrollment. Only the device's assigned user can: an administrator approving "for" them gets 404 like anyone else.
 */
@RestController
@RequestMapping("/api/v1/me/devices")
class MyDevicesController {

    /** The newest first; a person has a handful. */
    static final int LISTED = 50;

    private final DeviceRepository devices;
    private final DeviceTimeline timeline;
    private final AuditLog audit;
    private final Clock clock;

    MyDevicesController(DeviceRepository devices, DeviceTimeline timeline, AuditLog audit, Clock clock) {
        this.devices = devices;
        this.timeline = timeline;
        this.audit = audit;
        this.clock = clock;
    }

    record MyDevice(String id, Ownership ownership, DevicePlatform platform, String model, DeviceState state,
            Instant enrolledAt, Instant lastSeenAt, boolean boundToUser, Instant userBoundAt) {

        static MyDevice of(Device d) {
            return new MyDevice(d.id(), d.ownership(), d.platform(), d.model(), d.state(), d.enrolledAt(),
                    d.lastSeenAt(), d.boundToUser(), d.userBoundAt());
        }
    }

    record MyDevices(List<MyDevice> items) {
    }

    @Operation(summary = "Your own devices")
    @GetMapping
    Mono<MyDevices> list(Caller caller) {
        var mine = new DeviceRepository.Query(DeviceQuery.of(null, null, null, null, null, 0, LISTED), caller.userId(),
                List.of());
        return devices.list(caller.orgId(), mine).map(MyDevice::of).collectList().map(MyDevices::new);
    }

    /** Binds the caller's own device to them; approving a device already bound changes nothing. */
    @Operation(summary = "Approve (bind) a device of yours: it then receives your messages")
    @Problems({"409 conflict"})
    @PostMapping("/{id}/approve")
    Mono<MyDevice> approve(Caller caller, @PathVariable String id) {
        return devices.find(caller.orgId(), id)
                .filter(d -> caller.userId().equals(d.assignedUserId()))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No device %s of yours", id)))
                .flatMap(d -> d.boundToUser() ? Mono.just(d) : bind(caller, d))
                .map(MyDevice::of);
    }

    private Mono<Device> bind(Caller caller, Device device) {
        if (!device.state().mayAuthenticate()) {
            return Mono.error(ProblemType.CONFLICT.exception("Device %s is %s: it cannot be approved", device.id(),
                    device.state()));
        }
        return devices.bindToUser(caller.orgId(), device.id(), caller.userId(),
                        clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .flatMap(bound -> timeline.record(caller.orgId(), device.id(), "bound", "approved by its user")
                        .then(audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()), "device.bind",
                                device.id(), Outcome.SUCCESS).withDetail("how", "approval")))
                        .thenReturn(bound))
                // a concurrent approval (or a retirement) got there first: answer with what is stored now
                .switchIfEmpty(Mono.defer(() -> devices.find(caller.orgId(), device.id())));
    }
}
