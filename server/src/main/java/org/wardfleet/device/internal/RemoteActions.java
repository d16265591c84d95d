package org.wardfleet.device.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.pki.DeviceCertificates;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * Requests, hands over and completes remote actions. RETIRE takes effect at once (certificate revoked, device
 * refused from the next request on); the others wait for the device's next contact and its result report.
 */
@Component
class RemoteActions {

    static final ProblemType FULL_WIPE_REFUSED = new ProblemType("byod-full-wipe-refused", HttpStatus.CONFLICT,
            "Full wipe refused for a personal device");
    static final ProblemType DEVICE_NOT_ACTIVE = new ProblemType("device-not-active", HttpStatus.CONFLICT,
            "Device is retired or wiped");

    private final ActionRepository actions;
    private final DeviceRepository devices;
    private final DeviceTimeline timeline;
    private final DeviceCertificates certificates;
    private final AuditLog audit;
    private final Clock clock;

    RemoteActions(ActionRepository actions, DeviceRepository devices, DeviceTimeline timeline,
            DeviceCertificates certificates, AuditLog audit, Clock clock) {
        this.actions = actions;
        this.devices = devices;
        this.timeline = timeline;
        this.certificates = certificates;
        this.audit = audit;
        this.clock = clock;
    }

    /** Idempotent: an open action of the same type is returned instead of queuing a second one. */
    Mono<ActionRepository.Action> request(Caller caller, String deviceId, ActionType type) {
        return devices.find(caller.orgId(), deviceId)
                .switchIfEmpty(Mono.error(() -> DeviceController.notFound(deviceId)))
                .flatMap(device -> allowed(device, type))
                .flatMap(device -> actions.openAction(caller.orgId(), deviceId, type)
                        .switchIfEmpty(Mono.defer(() -> queue(caller, device, type))));
    }

    private Mono<Device> allowed(Device device, ActionType type) {
        if (!device.state().mayAuthenticate()) {
            return Mono.error(DEVICE_NOT_ACTIVE.exception("Device %s is %s", device.id(), device.state()));
        }
        if (type == ActionType.WIPE && device.ownership() == Ownership.BYOD) {
            // NIST SP 1800-22: the organisation may remove only its own data from a personal device
            return Mono.error(FULL_WIPE_REFUSED.exception(
                    "Device %s is personally owned: use SELECTIVE_WIPE (work data only) or RETIRE", device.id()));
        }
        return Mono.just(device);
    }

    private Mono<ActionRepository.Action> queue(Caller caller, Device device, ActionType type) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        boolean immediate = type == ActionType.RETIRE;
        var action = new ActionRepository.Action(UUID.randomUUID().toString(), caller.orgId(), device.id(), type,
                immediate ? ActionRepository.State.DONE : ActionRepository.State.PENDING, now, caller.userId(),
                null, immediate ? now : null, immediate ? "retired by " + caller.userId() : null);
        Mono<ActionRepository.Action> stored = actions.insert(action).thenReturn(action)
                // a concurrent identical request won the unique open key: answer with its action
                .onErrorResume(Documents::isDuplicateKey, e -> actions.openAction(caller.orgId(), device.id(), type));
        return stored
                .flatMap(a -> immediate ? retire(caller, device).thenReturn(a) : Mono.just(a))
                .flatMap(a -> timeline.record(caller.orgId(), device.id(), "action.requested", type.name())
                        .then(audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                                "device.action." + type.name().toLowerCase(java.util.Locale.ROOT), device.id(),
                                Outcome.SUCCESS).withDetail("actionId", a.id())))
                        .thenReturn(a));
    }

    private Mono<Void> retire(Caller caller, Device device) {
        return devices.transition(caller.orgId(), device.id(), List.of(DeviceState.ACTIVE, DeviceState.QUARANTINED),
                        DeviceState.RETIRED)
                .flatMap(retired -> certificates.revoke(caller.orgId(), device.certificateSerial(),
                        DeviceCertificates.RevocationReason.CESSATION_OF_OPERATION))
                .then(actions.closeAll(caller.orgId(), device.id(), "device retired", clock.instant()))
                .then(timeline.record(caller.orgId(), device.id(), "state", "RETIRED; certificate revoked"));
    }

    /** Hands open actions to the device at check-in. */
    Mono<List<ActionRepository.Action>> handOver(String orgId, String deviceId) {
        return actions.open(orgId, deviceId).collectList()
                .flatMap(open -> actions.markDelivered(orgId, open.stream().map(ActionRepository.Action::id).toList(),
                        clock.instant()).thenReturn(open));
    }

    /** The device's report. A wipe that succeeded ends the device's life: state WIPED, certificate revoked. */
    Mono<ActionRepository.Action> complete(String orgId, String deviceId, String actionId, boolean done,
            String message) {
        ActionRepository.State result = done ? ActionRepository.State.DONE : ActionRepository.State.FAILED;
        return actions.complete(orgId, deviceId, actionId, result, message, clock.instant())
                .flatMap(action -> afterCompletion(orgId, deviceId, action, message).thenReturn(action))
                // already reported: answer with the stored result (idempotent)
                .switchIfEmpty(Mono.defer(() -> actions.find(orgId, deviceId, actionId)))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No action %s", actionId)));
    }

    private Mono<Void> afterCompletion(String orgId, String deviceId, ActionRepository.Action action,
            String message) {
        Mono<Void> recorded = timeline.record(orgId, deviceId, "action." + action.state().name().toLowerCase(
                        java.util.Locale.ROOT), action.type().name() + (message == null ? "" : ": " + message))
                .then(audit.record(AuditEvent.of(orgId, Actor.device(deviceId), "device.action.result", deviceId,
                        action.state() == ActionRepository.State.DONE ? Outcome.SUCCESS : Outcome.FAILURE)
                        .withDetail("actionId", action.id()).withDetail("type", action.type().name())));
        boolean wiped = action.state() == ActionRepository.State.DONE
                && (action.type() == ActionType.WIPE || action.type() == ActionType.SELECTIVE_WIPE);
        if (!wiped) {
            return recorded;
        }
        return recorded.then(devices.transition(orgId, deviceId, List.of(DeviceState.ACTIVE, DeviceState.QUARANTINED),
                        DeviceState.WIPED))
                .flatMap(device -> certificates.revoke(orgId, device.certificateSerial(),
                        DeviceCertificates.RevocationReason.CESSATION_OF_OPERATION))
                .then(actions.closeAll(orgId, deviceId, "device wiped", clock.instant()))
                .then(timeline.record(orgId, deviceId, "state", "WIPED; certificate revoked"));
    }
}
