package org.wardfleet.device;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The device inventory as other features use it. Every method names the organisation. */
public interface Devices {

    Mono<Device> register(NewDevice device);

    Mono<Device> find(String orgId, String deviceId);

    /** After renewal: the device's current certificate (and key, which may be new). */
    Mono<Device> replaceCertificate(String orgId, String deviceId, String serial, Instant notAfter, String publicKey);

    /** Devices that still take instructions (ACTIVE or QUARANTINED), without their timelines. */
    Flux<Device> reachable(String orgId);

    /** A user's devices that still take instructions (ACTIVE or QUARANTINED), without their timelines. */
    Flux<Device> reachableFor(String orgId, String userId);

    /** The devices of many users at once (broadcasts): one query, not one per user. */
    Flux<Device> reachableForAll(String orgId, java.util.Collection<String> userIds);

    /** Many devices by id in one query, without timelines; unknown ids and other organisations' devices are left out. */
    Flux<Device> findAll(String orgId, java.util.Collection<String> deviceIds);

    /** The push service said this registration token is dead (app uninstalled, token rotated). */
    Mono<Void> forgetPushToken(String orgId, String deviceId, String pushToken);

    /**
     * A remote action Wardfleet itself decided on (compliance enforcement), on behalf of {@code requestedBy}; as
     * idempotent as IT's own requests (an open action of that type is reused). Returns the action id.
     */
    Mono<String> requestAction(String orgId, String deviceId, ActionType type, String requestedBy);

    /** ACTIVE → QUARANTINED (keeps its identity, loses access); false when the device was not ACTIVE. */
    Mono<Boolean> quarantine(String orgId, String deviceId, String reason);

    /** QUARANTINED → ACTIVE; false when the device was not quarantined. */
    Mono<Boolean> release(String orgId, String deviceId, String reason);

    /** Appends to the device's timeline (what happened to it, shown to IT). */
    Mono<Void> recordEvent(String orgId, String deviceId, String type, String detail);
}
