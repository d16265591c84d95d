package org.wardfleet.push.internal;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Per instance: delivers signals addressed to its streams, pings its streams and refreshes their presence every
 * heartbeat, and sweeps old signals.
 */
@Component
class StreamMaintenance implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamMaintenance.class);

    private final StreamSignals signals;
    private final StreamConnections connections;
    private final Presence presence;
    private final PushProperties properties;
    private volatile Disposable.Composite running;

    StreamMaintenance(StreamSignals signals, StreamConnections connections, Presence presence,
            PushProperties properties) {
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
                        .doOnNext(s -> connections.send(s.deviceId(), s.event()))
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                                .doBeforeRetry(r -> log.warn("Device signal watch failed; resuming: {}",
                                        r.failure().toString())))
                        .subscribe(),
                Flux.interval(properties.streamHeartbeat(), Schedulers.parallel())
                        .concatMap(tick -> {
                            var ids = connections.deviceIds();
                            ids.forEach(id -> connections.send(id, ping));
                            return presence.heartbeat(ids).onErrorResume(this::warn);
                        })
                        .subscribe(),
                Flux.interval(Duration.ofMinutes(1), Schedulers.parallel())
                        .concatMap(tick -> signals.sweep().onErrorResume(this::warn))
                        .subscribe());
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
