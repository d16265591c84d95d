package org.wardfleet.platform.time;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Work every instance does on a schedule (sweeps, timers, rotations): one run at a time, a failed run logged and
 * retried at the next period, stopped and restarted with the application. Durable state lives in MongoDB; this is only
 * the clock that drives it.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private volatile Disposable running;

    /** How often to run. */
    protected abstract Duration period();

    /** One run; its errors are logged, never fatal. */
    protected abstract Mono<?> runOnce();

    /** The first run comes one period after start unless a task says otherwise. */
    protected Duration initialDelay() {
        return period();
    }

    @Override
    public void start() {
        running = Flux.interval(initialDelay(), period(), Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> runOnce().onErrorResume(e -> {
                    log.warn("{} failed; will retry: {}", getClass().getSimpleName(), e.toString());
                    return Mono.empty();
                }))
                .subscribe();
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
