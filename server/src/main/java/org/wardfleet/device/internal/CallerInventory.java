package org.wardfleet.device.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceAction;
import org.wardfleet.device.DeviceDetail;
import org.wardfleet.device.DeviceInventory;
import org.wardfleet.device.DevicePage;
import org.wardfleet.device.DeviceQuery;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.identity.UserSummary;
import org.wardfleet.pki.DeviceCertificates;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/** {@link DeviceInventory}: the rules of who sees and changes which device, for the API and the console alike. */
@Component
class CallerInventory implements DeviceInventory {

    /** A search names at most this many people; more would make the device query a long list, not a search. */
    static final int TEXT_USERS = 50;
    static final int ACTIONS_SHOWN = 50;

    private final DeviceRepository devices;
    private final DeviceTimeline timeline;
    private final ActionRepository actions;
    private final RemoteActions remoteActions;
    private final DeviceCertificates certificates;
    private final UserDirectory users;

    CallerInventory(DeviceRepository devices, DeviceTimeline timeline, ActionRepository actions,
            RemoteActions remoteActions, DeviceCertificates certificates, UserDirectory users) {
        this.devices = devices;
        this.timeline = timeline;
        this.actions = actions;
        this.remoteActions = remoteActions;
        this.certificates = certificates;
        this.users = users;
    }

    @Override
    public Mono<DevicePage> list(Caller caller, DeviceQuery query) {
        // clinicians see only the devices assigned to them
        String onlyUser = seesAll(caller) ? null : caller.userId();
        Mono<List<String>> textUsers = query.text() == null || !seesAll(caller) ? Mono.just(List.of())
                : users.matching(caller.orgId(), query.text(), TEXT_USERS).map(UserSummary::id).collectList();
        return textUsers.map(matched -> new DeviceRepository.Query(query, onlyUser, matched))
                .flatMap(q -> devices.page(caller.orgId(), q))
                .map(t -> new DevicePage(t.getT1(), query.page(), query.size(), t.getT2()));
    }

    @Override
    public Mono<DeviceDetail> detail(Caller caller, String deviceId) {
        return devices.find(caller.orgId(), deviceId)
                .filter(d -> seesAll(caller) || caller.userId().equals(d.assignedUserId()))
                .switchIfEmpty(Mono.error(() -> DeviceController.notFound(deviceId)))
                .flatMap(d -> Mono.zip(timeline.of(caller.orgId(), deviceId).collectList(),
                                actions.history(caller.orgId(), deviceId, ACTIONS_SHOWN)
                                        .map(ActionRepository.Action::view).collectList(),
                                certificateStatus(d))
                        .map(t -> new DeviceDetail(d, t.getT1(), t.getT2(), t.getT3())));
    }

    @Override
    public Mono<DeviceAction> act(Caller caller, String deviceId, ActionType type) {
        return Mono.defer(() -> remoteActions.request(caller.requireAny(Role.ADMIN), deviceId, type))
                .map(ActionRepository.Action::view);
    }

    private Mono<String> certificateStatus(Device device) {
        return device.certificateSerial() == null ? Mono.just(DeviceCertificates.Status.UNKNOWN.name())
                : certificates.status(device.orgId(), device.certificateSerial()).map(Enum::name)
                        .defaultIfEmpty(DeviceCertificates.Status.UNKNOWN.name());
    }

    private static boolean seesAll(Caller caller) {
        return caller.has(Role.ADMIN) || caller.has(Role.SECURITY);
    }
}
