package org.wardfleet.platform.web;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * The first step of a graceful stop behind a load balancer ({@link ShutdownProperties#drainDelay()}): readiness is
 * already {@code OUT_OF_SERVICE} (Spring sets it as the context starts closing); this keeps serving for the drain delay,
 * closing each connection after its answer, so that the balancer takes the instance out and clients' kept-alive
 * connections move elsewhere while nobody is refused. Then the device streams are handed over (push module) and
 * Spring's graceful shutdown stops accepting connections and waits for the requests in flight.
 */
@Component
public class GracefulDrain implements SmartLifecycle, WebFilter {

    /** Stops before every other lifecycle (the web server's graceful shutdown is at {@code DEFAULT_PHASE - 1024}). */
    public static final int PHASE = Integer.MAX_VALUE;
    private static final Logger log = LoggerFactory.getLogger(GracefulDrain.class);

    private final Duration delay;
    private volatile boolean running;
    private volatile boolean draining;

    GracefulDrain(ShutdownProperties properties) {
        this.delay = properties.drainDelay();
    }

    /** True from the moment the instance starts leaving the load balancer. */
    public boolean draining() {
        return draining;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (draining) {
            exchange.getResponse().beforeCommit(() -> {
                exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    /** Also after a stop (a paused and resumed context): a started instance keeps connections alive again. */
    @Override
    public void start() {
        draining = false;
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        draining = true;
    }

    @Override
    public void stop(Runnable callback) {
        stop();
        if (delay.isZero()) {
            callback.run();
            return;
        }
        log.info("Shutting down: readiness is OUT_OF_SERVICE; serving {} s more while the load balancer notices",
                delay.toSeconds());
        Mono.delay(delay).subscribe(done -> callback.run(), error -> callback.run());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
