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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeviceRegistry.class);

    private final DeviceRepository devices;
    private final PersonDevices people;
    private final DeviceTimeline timeline;
    private final DeviceLifecycleEvents lifecycle;
    private final Clock clock;
    /** Lazily: remote actions use the registry's repository too, and a constructor cycle helps nobody. */
    private final org.springframework.beans.factory.ObjectProvider<RemoteActions> remoteActions;

    DeviceRegistry(DeviceRepository devices, PersonDevices people, DeviceTimeline timeline, DeviceLifecycleEvents lifecycle, Clock clock,
            org.springframework.beans.factory.ObjectProvider<RemoteActions> remoteActions) {
        this.devices = devices;
        this.people = people;
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
        return listed(device).then(devices.insert(device, timeline.first("enrolled",
                        n.ownership() + " " + n.platform().wire() + " via invitation " + n.invitationId()
                                + (boundAt != null ? ", bound by its user signing in" : ""))))
                .thenReturn(device);
    }

    /**
     * The person's list names the device before it exists (no transactions: a crash in between leaves an id naming
     * nothing, never a device missing from the list). A list made here, before the backfill has run once, is completed
     * from the devices query: the person may have devices stored before the lists existed.
     */
    private Mono<Void> listed(Device device) {
        if (device.assignedUserId() == null) {
            return Mono.empty();
        }
        return people.add(device.orgId(), device.assignedUserId(), device.id())
                .filterWhen(created -> created ? people.backfilled().map(done -> !done) : Mono.just(false))
                .flatMap(incomplete -> devices.reachableForAny(device.orgId(), List.of(device.assignedUserId()))
                        .map(PersonDevices.Owner::of).collectList().flatMap(people::addAll));
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
        return listedReachable(orgId, List.of(userId));
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
        return listedReachable(orgId, all);
    }

    /**
     * The people's devices through their {@link PersonDevices} lists — lookups by {@code _id} only, where a query on
     * {@code assignedUserId} reads every device in the embedded store. A list is a superset, so every device read is
     * checked here; a person whose list gives no usable device (no list yet: enrolled before the lists existed) is
     * looked up with the query, and the devices it finds are listed for next time — a page never misses a phone for
     * want of a list entry.
     */
    private Flux<Device> listedReachable(String orgId, List<String> userIds) {
        if (userIds.isEmpty()) {
            return Flux.empty();
        }
        java.util.Set<String> wanted = new java.util.HashSet<>(userIds);
        return people.listed(orgId, userIds)
                .flatMap(listed -> {
                    List<String> ids = listed.values().stream().flatMap(List::stream).distinct().toList();
                    return ids.isEmpty() ? Mono.just(List.<Device>of()) : devices.findAll(orgId, ids).collectList();
                })
                .flatMapMany(found -> {
                    List<Device> usable = found.stream().filter(d -> d.state().mayAuthenticate()
                            && d.assignedUserId() != null && wanted.contains(d.assignedUserId())).toList();
                    java.util.Set<String> served = new java.util.HashSet<>();
                    usable.forEach(d -> served.add(d.assignedUserId()));
                    List<String> unserved = userIds.stream().filter(u -> !served.contains(u)).toList();
                    return Flux.fromIterable(usable)
                            .concatWith(unserved.isEmpty() ? Flux.empty() : unlisted(orgId, unserved));
                });
    }

    /** The devices query for people without a usable list entry; what it finds is listed, best effort. */
    private Flux<Device> unlisted(String orgId, List<String> userIds) {
        return devices.reachableForAny(orgId, userIds).collectList()
                .flatMapMany(found -> people.addAll(found.stream().map(PersonDevices.Owner::of).toList())
                        .onErrorResume(e -> {
                            log.warn("Could not list {} device(s) found by the devices query: {}", found.size(),
                                    e.toString());
                            return Mono.empty();
                        })
                        .thenMany(Flux.fromIterable(found)));
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
