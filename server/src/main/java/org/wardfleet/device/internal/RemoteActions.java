package org.wardfleet.device.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.ActionWakeUp;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.pki.DeviceCertificates;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Requests, hands over and completes remote actions. Every new action wakes its device at once (a stream event when
 * connected, FCM otherwise, through {@link ActionWakeUp}), so it does not wait for the next check-in; the device
 * fetches it at check-in (DELIVERED, {@code deliveredAt}) and reports its result ({@code acknowledgedAt}). RETIRE
 * takes effect at once (certificate revoked, device refused from its next request on): a lost phone must be cut off
 * now, not after it has heard of it. The wake-up then makes it call, and that call's {@code device-retired} refusal
 * — over the server-authenticated channel, to a request the device signed — is how it hears (and what marks the
 * RETIRE delivered). WIPE and SELECTIVE_WIPE revoke only once the device reports them done, so it can still fetch
 * them.
 */
@Component
class RemoteActions {

    static final ProblemType FULL_WIPE_REFUSED = new ProblemType("byod-full-wipe-refused", HttpStatus.CONFLICT,
            "Full wipe refused for a personal device");
    static final ProblemType DEVICE_NOT_ACTIVE = new ProblemType("device-not-active", HttpStatus.CONFLICT,
            "Device is retired or wiped");

    private static final Logger log = LoggerFactory.getLogger(RemoteActions.class);

    private final ActionRepository actions;
    private final DeviceRepository devices;
    private final DeviceTimeline timeline;
    private final DeviceCertificates certificates;
    private final ObjectProvider<ActionWakeUp> wakeUps;
    private final AuditLog audit;
    private final DeviceLifecycleEvents lifecycle;
    private final Clock clock;

    RemoteActions(ActionRepository actions, DeviceRepository devices, DeviceTimeline timeline,
            DeviceCertificates certificates, ObjectProvider<ActionWakeUp> wakeUps, AuditLog audit,
            DeviceLifecycleEvents lifecycle, Clock clock) {
        this.actions = actions;
        this.lifecycle = lifecycle;
        this.wakeUps = wakeUps;
        this.devices = devices;
        this.timeline = timeline;
        this.certificates = certificates;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Idempotent: an open action of the same type is returned instead of queuing a second one. The device is woken
     * for a new action, and again when asked again for one it has not fetched yet.
     */
    Mono<ActionRepository.Action> request(Caller caller, String deviceId, ActionType type) {
        return devices.find(caller.orgId(), deviceId)
                .switchIfEmpty(Mono.error(() -> DeviceController.notFound(deviceId)))
                .flatMap(device -> allowed(device, type))
                .flatMap(device -> actions.openAction(caller.orgId(), deviceId, type)
                        .switchIfEmpty(Mono.defer(() -> queue(caller, device, type)))
                        .flatMap(action -> action.deliveredAt() == null ? wake(device, action) : Mono.just(action)));
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
                null, immediate ? now : null, immediate ? "retired by " + caller.userId() : null, null, null, null);
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
                        DeviceCertificates.RevocationReason.CESSATION_OF_OPERATION)
                        .then(lifecycle.retired(caller.orgId(), device.id(), DeviceState.RETIRED)))
                .then(actions.closeAll(caller.orgId(), device.id(), "device retired", clock.instant()))
                .then(timeline.record(caller.orgId(), device.id(), "state", "RETIRED; certificate revoked"));
    }

    /**
     * Wakes the device for {@code action} and records how. Never fails the request: a device that cannot be woken
     * (no push token, FCM off or refusing) gets the action at its next check-in, as before.
     */
    private Mono<ActionRepository.Action> wake(Device device, ActionRepository.Action action) {
        ActionWakeUp wakeUp = wakeUps.getIfAvailable();
        if (wakeUp == null) {
            return Mono.just(action);
        }
        return wakeUp.wake(device)
                .onErrorResume(e -> {
                    log.warn("Waking device {} for action {} failed: {}", device.id(), action.id(), e.toString());
                    return Mono.just(ActionWakeUp.Outcome.none("wake-failed"));
                })
                .defaultIfEmpty(ActionWakeUp.Outcome.none("not-reached"))
                .flatMap(outcome -> {
                    Instant at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                    return actions.woken(device.orgId(), action.id(), at, outcome.via())
                            .then(timeline.record(device.orgId(), device.id(), "action.wake",
                                    action.type() + ": " + describe(outcome)))
                            .thenReturn(action.woken(at, outcome.via()));
                });
    }

    private static String describe(ActionWakeUp.Outcome outcome) {
        switch (outcome.via()) {
            case STREAM:
                return "woken over its stream";
            case PUSH:
                return "woken by FCM";
            default:
                return "not woken (" + outcome.reason() + "): waits for the next check-in";
        }
    }

    /** Hands open actions to the device at check-in; those it had not fetched before become DELIVERED. */
    Mono<List<ActionRepository.Action>> handOver(String orgId, String deviceId) {
        return actions.open(orgId, deviceId).collectList()
                .flatMap(open -> actions.markDelivered(orgId, open.stream().map(ActionRepository.Action::id).toList(),
                                clock.instant())
                        .thenMany(Flux.fromIterable(open))
                        .filter(a -> a.state() == ActionRepository.State.PENDING)
                        .concatMap(a -> timeline.record(orgId, deviceId, "action.delivered", a.type().name()))
                        .then(Mono.just(open)));
    }

    /**
     * A retired device proved its key on a call and is being refused as retired: that refusal tells it, so its
     * RETIRE action is now delivered. True the first time (recorded on the timeline), false after.
     */
    Mono<Boolean> toldRetired(String orgId, String deviceId) {
        return actions.retireDelivered(orgId, deviceId, clock.instant())
                .flatMap(first -> first ? timeline.record(orgId, deviceId, "action.delivered",
                        "RETIRE: refused as retired on its next call").thenReturn(true) : Mono.just(false));
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
                        DeviceCertificates.RevocationReason.CESSATION_OF_OPERATION)
                        .then(lifecycle.retired(orgId, deviceId, DeviceState.WIPED)))
                .then(actions.closeAll(orgId, deviceId, "device wiped", clock.instant()))
                .then(timeline.record(orgId, deviceId, "state", "WIPED; certificate revoked"));
    }
}
