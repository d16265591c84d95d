package org.wardfleet.push.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.Devices;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.support.RegisteredDevices;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A retired device's stream, and a renewed device's stream opened with its old certificate, end at once — not at the
 * next sweep (set to an hour here) — here and, through a {@code stream-end} signal, on the instance holding them.
 * Boots push and what it depends on (device, audit, pki, identity, events, platform), not the whole application.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
@ActiveProfiles("test")
@TestPropertySource(properties = {"wardfleet.push.stream-heartbeat=1h", "wardfleet.push.presence-timeout=3h"})
class StreamEndingTests {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @Autowired Devices devices;
    @Autowired StreamConnections connections;
    @Autowired Presence presence;
    @Autowired StreamSignals signals;
    @Autowired MongoDatabase db;
    @Autowired org.springframework.context.ApplicationContext context;

    @Test
    void onlyPushAndWhatItDependsOnAreBooted() {
        assertThat(context.getBeanNamesForType(Devices.class)).isNotEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.messaging.Paging.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.enrollment.Invitations.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.wardfleet.compliance.DeviceAccess.class)).isEmpty();
    }

    @Test
    void retiringADeviceClosesItsOpenStreamAtOnceAndLeavesOthersOpen() {
        String org = UUID.randomUUID().toString();
        Device lost = RegisteredDevices.register(devices, org);
        Device other = RegisteredDevices.register(devices, org);
        StreamConnections.Held lostStream = open(lost, lost.certificateSerial());
        StreamConnections.Held otherStream = open(other, other.certificateSerial());

        devices.requestAction(org, lost.id(), ActionType.RETIRE, "it-admin").block();

        endsWithin(lostStream);
        assertThat(connections.get(other.id())).isSameAs(otherStream);
    }

    @Test
    void replacingACredentialClosesTheStreamOpenedWithTheOldOne() {
        String org = UUID.randomUUID().toString();
        Device renewed = RegisteredDevices.register(devices, org);
        StreamConnections.Held oldStream = open(renewed, renewed.certificateSerial());

        devices.replaceCertificate(org, renewed.id(), RegisteredDevices.serial(), Instant.now().plusSeconds(86_400),
                renewed.publicKey()).block();

        endsWithin(oldStream);
    }

    @Test
    void aStreamHeldByAnotherInstanceIsToldToEndThroughTheSignalFeed() {
        String org = UUID.randomUUID().toString();
        Device lost = RegisteredDevices.register(devices, org);
        Mono.from(db.getCollection("device_presence").insertOne(new Document("_id", lost.id()).append("orgId", org)
                .append("instanceId", "another-instance").append("connectedAt", new java.util.Date())
                .append("seenAt", new java.util.Date()))).block();

        devices.requestAction(org, lost.id(), ActionType.RETIRE, "it-admin").block();

        await().atMost(GENEROUS).until(() -> Flux.from(db.getCollection("device_signals")
                        .find(Filters.and(Filters.eq("deviceId", lost.id()), Filters.eq("instanceId", "another-instance"))))
                .map(d -> d.getString("event")).collectList().block()
                .stream().anyMatch(e -> e.contains(StreamEnding.END)));
    }

    @Test
    void aStreamEndSignalForThisInstanceEndsTheStreamHere() {
        String org = UUID.randomUUID().toString();
        Device device = RegisteredDevices.register(devices, org);
        StreamConnections.Held stream = open(device, device.certificateSerial());

        signals.send(List.of(new StreamSignals.Signal(org, device.id(), presence.instanceId,
                StreamEnding.signal(null)))).block();

        endsWithin(stream);
    }

    private StreamConnections.Held open(Device device, String serial) {
        return connections.open(new DevicePrincipal(device.id(), device.orgId(), "COPE", null, serial));
    }

    private static void endsWithin(StreamConnections.Held stream) {
        StepVerifier.create(stream.sink().asFlux()).thenConsumeWhile(event -> true).expectComplete()
                .verify(GENEROUS);
    }
}
