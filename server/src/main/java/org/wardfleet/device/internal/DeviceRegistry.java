package org.wardfleet.device.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Devices;
import org.wardfleet.device.NewDevice;
import org.wardfleet.device.Ownership;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@link Devices} API: registration at enrollment, certificate renewal, timeline entries. */
@Component
class DeviceRegistry implements Devices {

    private final DeviceRepository devices;
    private final DeviceTimeline timeline;
    private final DeviceLifecycleEvents lifecycle;
    private final Clock clock;
    /** Lazily: remote actions use the registry's repository too, and a constructor cycle helps nobody. */
    private final org.springframework.beans.factory.ObjectProvider<RemoteActions> remoteActions;

    DeviceRegistry(DeviceRepository devices, DeviceTimeline timeline, DeviceLifecycleEvents lifecycle, Clock clock,
            org.springframework.beans.factory.ObjectProvider<RemoteActions> remoteActions) {
        this.devices = devices;
        this.lifecycle = lifecycle;
        this.timeline = timeline;
        this.clock = clock;
        this.remoteActions = remoteActions;
    }

    @Override
    public Mono<Device> register(NewDevice n) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // NIST SP 1800-22: nothing that identifies the person's own phone is kept for BYOD
        Device.Hardware hardware = n.ownership() == Ownership.BYOD ? null : n.hardware();
        Instant boundAt = n.boundByUser() && n.assignedUserId() != null ? now : null;
        Device device = new Device(n.id(), n.orgId(), n.ownership(), n.platform(), n.model(), n.osVersion(),
                n.securityPatchLevel(), n.appVersion(), n.assignedUserId(), n.groups(), n.certificateSerial(),
                n.certificateNotAfter(), n.publicKey(), now, now, DeviceState.ACTIVE, null, hardware,
                n.invitationId(), boundAt);
        return devices.insert(device, timeline.first("enrolled",
                        n.ownership() + " " + n.platform().wire() + " via invitation " + n.invitationId()
                                + (boundAt != null ? ", bound by its user signing in" : "")))
                .thenReturn(device);
    }

    @Override
    public Mono<Device> find(String orgId, String deviceId) {
        return devices.find(orgId, deviceId);
    }

    @Override
    public Mono<Device> replaceCertificate(String orgId, String deviceId, String serial, Instant notAfter,
            String publicKey) {
        return devices.replaceCertificate(orgId, deviceId, serial, notAfter, publicKey)
                .flatMap(d -> lifecycle.credentialReplaced(orgId, deviceId, serial)
                        .then(timeline.record(orgId, deviceId, "certificate.renewed", "serial " + serial))
                        .thenReturn(d));
    }

    @Override
    public Flux<Device> findAll(String orgId, java.util.Collection<String> deviceIds) {
        return deviceIds.isEmpty() ? Flux.empty() : devices.findAll(orgId, deviceIds);
    }

    @Override
    public Flux<Device> reachable(String orgId) {
        return devices.reachable(orgId);
    }

    @Override
    public Flux<Device> reachableFor(String orgId, String userId) {
        return devices.reachableFor(orgId, userId);
    }

    @Override
    public Flux<Device> reachableForAll(String orgId, java.util.Collection<String> userIds) {
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(userIds));
        if (all.size() > 200) {
            // a large audience (a whole site): one pass over the organisation's devices beats long $in lists
            java.util.Set<String> wanted = new java.util.HashSet<>(all);
            return devices.reachable(orgId).filter(d -> d.assignedUserId() != null
                    && wanted.contains(d.assignedUserId()));
        }
        return devices.reachableForAny(orgId, all);
    }

    @Override
    public Mono<Void> forgetPushToken(String orgId, String deviceId, String pushToken) {
        return devices.pullPushToken(orgId, deviceId, pushToken)
                .then(timeline.record(orgId, deviceId, "push.token-removed", "the push service no longer knows it"));
    }

    @Override
    public Mono<String> requestAction(String orgId, String deviceId, ActionType type, String requestedBy) {
        Caller system = new Caller(requestedBy, orgId, null, java.util.Set.of(org.wardfleet.platform.security.Role.ADMIN));
        return remoteActions.getObject().request(system, deviceId, type).map(ActionRepository.Action::id);
    }

    @Override
    public Mono<Boolean> quarantine(String orgId, String deviceId, String reason) {
        return devices.transition(orgId, deviceId, java.util.List.of(DeviceState.ACTIVE), DeviceState.QUARANTINED)
                .flatMap(d -> timeline.record(orgId, deviceId, "state", "QUARANTINED: " + reason).thenReturn(true))
                .defaultIfEmpty(false);
    }

    @Override
    public Mono<Boolean> release(String orgId, String deviceId, String reason) {
        return devices.transition(orgId, deviceId, java.util.List.of(DeviceState.QUARANTINED), DeviceState.ACTIVE)
                .flatMap(d -> timeline.record(orgId, deviceId, "state", "ACTIVE again: " + reason).thenReturn(true))
                .defaultIfEmpty(false);
    }

    @Override
    public Mono<Void> recordEvent(String orgId, String deviceId, String type, String detail) {
        return timeline.record(orgId, deviceId, type, detail);
    }
}
