package org.wardfleet.push.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.wardfleet.platform.security.DevicePrincipal;

/**
 * What an open stream costs while its device does nothing (issue 24: heap per idle connected device), and that the
 * bound on what waits for a device that stopped reading still holds.
 */
class StreamConnectionsTests {

    @Test
    void anIdleStreamTakesLessThanAKilobyteOfHeapToHold() {
        List<DevicePrincipal> devices = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            devices.add(new DevicePrincipal("device-" + i, "org", "COPE", "user-" + i, "serial-" + i));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        devices.forEach(new StreamConnections()::open); // classes loaded and initialised: not a stream's cost
        StreamConnections connections = new StreamConnections();
        long before = threads.getThreadAllocatedBytes(thread);
        devices.forEach(connections::open);
        long perStream = (threads.getThreadAllocatedBytes(thread) - before) / devices.size();

        System.out.println("bytes allocated per open stream: " + perStream);
        assertThat(connections.size()).isEqualTo(devices.size());
        // a 256-slot queue per stream, allocated up front, took 1.5 KB of every idle stream
        assertThat(perStream).isLessThan(1_024);
    }

    @Test
    void aDeviceThatStopsReadingIsCutOffAfterTheBoundedQueue() {
        StreamConnections connections = new StreamConnections();
        StreamConnections.Held held = connections.open(new DevicePrincipal("d", "org", "COPE", "u", "s"));
        int taken = 0;
        while (taken <= StreamConnections.MAX_QUEUED && StreamConnections.send(held, "{\"type\":\"sync\"}")) {
            taken++;
        }
        assertThat(taken).isEqualTo(StreamConnections.MAX_QUEUED);
        // the stream was ended: what was queued is still read by the device, then the stream completes
        assertThat(held.sink().asFlux().collectList().block()).hasSize(StreamConnections.MAX_QUEUED);
    }
}
