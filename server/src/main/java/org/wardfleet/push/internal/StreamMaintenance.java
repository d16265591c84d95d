package org.wardfleet.push.internal;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Per instance: delivers signals addressed to its streams (a watch held while the application runs; a
 * {@code stream-end} one ends the stream, see {@link StreamEnding}), and — a job of the engine, every heartbeat — pings
 * its streams and refreshes their presence; every {@link #REVOCATION_SWEEP} it also ends the streams of devices that
 * may no longer use them (retired, wiped, or holding a certificate other than the one they connected with) whose
 * event was lost. Old signals are swept by {@link StreamSignalSweep}.
 */
@Component
class StreamMaintenance implements SmartLifecycle, Job {

    private static final Logger log = LoggerFactory.getLogger(StreamMaintenance.class);

    /** The safety net behind {@link StreamEnding}'s events (one lost to a crash between a device's write and it). */
    static final Duration REVOCATION_SWEEP = Duration.ofMinutes(10);

    private final StreamSignals signals;
    private final StreamConnections connections;
    private final Presence presence;
    private final PushProperties properties;
    private final org.wardfleet.device.Devices devices;
    private final JobRun items;
    private final StreamEnding ending;
    private volatile Disposable running;
    private volatile long lastRevocationSweep = System.nanoTime();

    StreamMaintenance(StreamSignals signals, StreamConnections connections, Presence presence,
            PushProperties properties, org.wardfleet.device.Devices devices, JobFailures failures,
            StreamEnding ending) {
        this.items = new JobRun(name(), failures);
        this.ending = ending;
        this.devices = devices;
        this.signals = signals;
        this.connections = connections;
        this.presence = presence;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = Flux.defer(signals::watch)
                .filter(s -> presence.instanceId.equals(s.instanceId()))
                .filter(s -> !ending.received(s))
                .doOnNext(s -> AnyInstanceStreamDelivery.deliverHere(connections, s))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(r -> log.warn("Device signal watch failed; resuming: {}",
                                r.failure().toString())))
                .subscribe();
    }

    @Override
    public String name() {
        return "stream-maintenance";
    }

    /** Every heartbeat: this instance's streams, so every instance runs it. */
    @Override
    public Duration interval() {
        return properties.streamHeartbeat();
    }

    /**
     * Pings every stream here and refreshes their presence (a failure there is counted and does not keep revoked
     * streams open), then, once every {@link #REVOCATION_SWEEP}, ends the revoked ones whose event was lost.
     */
    @Override
    public Mono<?> run() {
        String ping = DeviceStreamHandler.event(Map.of("type", "ping"));
        var ids = connections.deviceIds();
        ids.forEach(id -> connections.send(id, ping));
        Mono<?> heartbeat = items.isolate("presence", presence.heartbeat(ids));
        long now = System.nanoTime();
        if (now - lastRevocationSweep < REVOCATION_SWEEP.toNanos()) {
            return heartbeat;
        }
        lastRevocationSweep = now;
        return heartbeat.then(endRevoked());
    }

    /**
     * Ends every stream here whose device is gone, RETIRED or WIPED, or now holds another certificate (renewed):
     * one query per organisation. Every request on a stream is re-checked anyway; this takes the connection away
     * within a heartbeat; one organisation's failure skips that organisation only. Returns how many streams ended.
     */
    Mono<Integer> endRevoked() {
        java.util.Map<String, java.util.List<StreamConnections.Held>> byOrg = connections.held().stream()
                .collect(java.util.stream.Collectors.groupingBy(StreamConnections.Held::orgId));
        return Flux.fromIterable(byOrg.entrySet())
                .concatMap(e -> items.isolate("organisation " + e.getKey(),
                        devices.findAll(e.getKey(), e.getValue().stream().map(StreamConnections.Held::deviceId)
                                .toList())
                        .collectMap(org.wardfleet.device.Device::id)
                        .map(current -> {
                            int ended = 0;
                            for (StreamConnections.Held held : e.getValue()) {
                                org.wardfleet.device.Device device = current.get(held.deviceId());
                                if (device == null || !device.state().mayAuthenticate()
                                        || !java.util.Objects.equals(device.certificateSerial(),
                                                held.certificateSerial())) {
                                    connections.end(held);
                                    ended++;
                                }
                            }
                            return ended;
                        })))
                .reduce(0, Integer::sum);
    }

    @Override
    public void stop() {
        Disposable r = running;
        if (r != null) {
            r.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }
}
