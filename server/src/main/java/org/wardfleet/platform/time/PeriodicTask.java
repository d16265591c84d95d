package org.wardfleet.platform.time;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Work every instance does on a schedule (sweeps, timers, rotations): one run at a time, a failed run logged, counted
 * ({@link JobFailures}) and retried at the next period, stopped and restarted with the application. A run that goes
 * over many organisations or records wraps each one in {@link #isolate} so that one failure skips that item only.
 * Durable state lives in MongoDB; this is only the clock that drives it.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private volatile JobFailures failures = JobFailures.logOnly();
    private volatile Disposable running;

    /**
     * Set by Spring: a setter rather than a constructor argument so that the base class does not change every job's
     * constructor; a task built by hand (a test's second instance) logs its failures without counting them.
     */
    @Autowired
    public final void setJobFailures(JobFailures failures) {
        this.failures = failures;
    }

    /** The job's name in logs and in {@code wardfleet.jobs.failures{job}}: its class name, in kebab case. */
    protected String jobName() {
        return getClass().getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** One organisation's or record's share of a run: a failure is logged, counted and skipped. */
    protected final <T> Mono<T> isolate(String item, Mono<T> work) {
        return failures.isolate(jobName(), item, work);
    }

    /** {@link #isolate} for work with many results. */
    protected final <T> Flux<T> isolateMany(String item, Flux<T> work) {
        return failures.isolateMany(jobName(), item, work);
    }

    /** Counts and logs an item skipped without an exception in flight (e.g. a stored record that cannot be read). */
    protected final void skipped(String item, Throwable why) {
        failures.failed(jobName(), item, why);
    }

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
                .concatMap(tick -> failures.isolate(jobName(), "run", Mono.defer(this::runOnce)))
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
