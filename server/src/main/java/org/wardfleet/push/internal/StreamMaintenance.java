package org.wardfleet.push.internal;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.time.JobFailures;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Per instance: delivers signals addressed to its streams (a {@code stream-end} one ends the stream, see
 * {@link StreamEnding}), pings its streams and refreshes their presence every heartbeat, every
 * {@link #REVOCATION_SWEEP} ends the streams of devices that may no longer use them (retired, wiped, or holding a
 * certificate other than the one they connected with) whose event was lost, and sweeps old signals.
 */
@Component
class StreamMaintenance implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamMaintenance.class);

    /** How often the streams here are checked against their devices' state, behind the events. */
    static final Duration REVOCATION_SWEEP = Duration.ofMinutes(10);

    private final StreamSignals signals;
    private final StreamConnections connections;
    private final Presence presence;
    private final PushProperties properties;
    private final org.wardfleet.device.Devices devices;
    private final JobFailures failures;
    private final StreamEnding ending;
    private volatile Disposable.Composite running;

    StreamMaintenance(StreamSignals signals, StreamConnections connections, Presence presence,
            PushProperties properties, org.wardfleet.device.Devices devices, JobFailures failures,
            StreamEnding ending) {
        this.failures = failures;
        this.ending = ending;
        this.devices = devices;
        this.signals = signals;
        this.connections = connections;
        this.presence = presence;
        this.properties = properties;
    }

    @Override
    public void start() {
        String ping = DeviceStreamHandler.event(Map.of("type", "ping"));
        running = Disposables.composite(
                Flux.defer(signals::watch)
                        .filter(s -> presence.instanceId.equals(s.instanceId()))
                        .filter(s -> !ending.received(s))
                        .doOnNext(s -> connections.send(s.deviceId(), s.event()))
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                                .doBeforeRetry(r -> log.warn("Device signal watch failed; resuming: {}",
                                        r.failure().toString())))
                        .subscribe(),
                Flux.interval(properties.streamHeartbeat(), Schedulers.parallel())
                        // a heartbeat slower than the period skips ticks: without this the interval overflows and
                        // ends the loop, and this instance stops counting as holding its streams
                        .onBackpressureDrop()
                        .concatMap(tick -> {
                            var ids = connections.deviceIds();
                            ids.forEach(id -> connections.send(id, ping));
                            return presence.heartbeat(ids).onErrorResume(this::warn);
                        })
                        .subscribe(),
                // the safety net behind StreamEnding's events (one lost to a crash between a device's write and it)
                Flux.interval(REVOCATION_SWEEP, Schedulers.parallel())
                        .onBackpressureDrop()
                        .concatMap(tick -> endRevoked().onErrorResume(this::warn))
                        .subscribe(),
                Flux.interval(Duration.ofMinutes(1), Schedulers.parallel())
                        .onBackpressureDrop()
                        .concatMap(tick -> signals.sweep().onErrorResume(this::warn))
                        .subscribe());
    }

    /**
     * Ends every stream here whose device is gone, RETIRED or WIPED, or now holds another certificate (renewed):
     * one query per organisation. Every request on a stream is re-checked anyway, and {@link StreamEnding} ends them
     * at once on the device's events; this catches an event lost to a crash. One organisation's failure skips that
     * organisation only. Returns how many streams ended.
     */
    Mono<Integer> endRevoked() {
        java.util.Map<String, java.util.List<StreamConnections.Held>> byOrg = connections.held().stream()
                .collect(java.util.stream.Collectors.groupingBy(StreamConnections.Held::orgId));
        return Flux.fromIterable(byOrg.entrySet())
                .concatMap(e -> failures.isolate("stream-maintenance", "organisation " + e.getKey(),
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

    private <T> Mono<T> warn(Throwable e) {
        log.warn("Stream housekeeping failed; will retry: {}", e.toString());
        return Mono.empty();
    }

    @Override
    public void stop() {
        Disposable.Composite r = running;
        if (r != null) {
            r.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }
}
