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

    /** The push service said this registration token is dead (app uninstalled, token rotated). */
    Mono<Void> forgetPushToken(String orgId, String deviceId, String pushToken);

    /** Appends to the device's timeline (what happened to it, shown to IT). */
    Mono<Void> recordEvent(String orgId, String deviceId, String type, String detail);
}
