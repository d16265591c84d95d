package org.wardfleet.push.internal;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.web.GracefulDrain;
import org.wardfleet.platform.web.ShutdownProperties;

import reactor.core.publisher.Flux;

/**
 * On a graceful stop, after the load balancer has taken this instance out ({@link GracefulDrain}): every stream held
 * here gets {@code {"type":"reconnect","withinMs":n}} — the device opens a new stream (through the balancer, so on
 * another instance) at a random moment within n ms and then drops this one — and whatever is still here after the
 * handover window (plus 10 s for connections under way) is closed, before the web server's graceful shutdown waits for requests in flight. A
 * device never has a gap: its new stream is open before the old one goes, and it fetches on every connection anyway.
 * Without a drain delay (no balancer in front) the streams are closed right after the hint.
 */
@Component
class StreamDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamDrain.class);
    private static final Duration CHECK = Duration.ofMillis(100);
    /** After the handover window, time for the last devices' new connections to complete (a busy machine). */
    private static final Duration SLACK = Duration.ofSeconds(10);

    private final StreamConnections connections;
    private final Duration handover;
    /** Without a balancer in front (no drain delay) a reconnection would only find this instance: no waiting. */
    private final boolean balanced;
    private volatile boolean running;

    StreamDrain(StreamConnections connections, ShutdownProperties properties) {
        this.connections = connections;
        this.handover = properties.streamHandover();
        this.balanced = !properties.drainDelay().isZero();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        int held = connections.size();
        if (held == 0) {
            callback.run();
            return;
        }
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("type", "reconnect"); // first: devices tell events apart by their start
        fields.put("withinMs", handover.toMillis());
        String hint = DeviceStreamHandler.event(fields);
        connections.held().forEach(h -> StreamConnections.send(h, hint));
        log.info("Shutting down: asked {} device streams to reconnect elsewhere within {} ms", held,
                handover.toMillis());
        long checks = balanced ? handover.plus(SLACK).toMillis() / CHECK.toMillis() : 0;
        Flux.interval(CHECK).take(checks).takeUntil(tick -> connections.size() == 0)
                .then()
                .doFinally(signal -> {
                    int left = connections.size();
                    if (left > 0) {
                        log.info("Shutting down: closing {} device streams that did not move", left);
                        connections.held().forEach(connections::end);
                    }
                    callback.run();
                })
                .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return GracefulDrain.PHASE - 1;
    }
}
