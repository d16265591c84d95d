package org.wardfleet.platform.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one engine for periodic work. Every {@link Job} bean registers here; the engine runs each on its own
 * {@link Job#interval} (one run at a time, a slow run skips the ticks it overran), takes the job's lease first when the
 * job must run on one instance only, times each run ({@value #RUN_TIMER}{job, outcome}), counts failures
 * ({@value JobFailures#METRIC}{job}, per run and per isolated organisation or record), records the last success
 * ({@value #LAST_SUCCESS}{job}, epoch seconds) and keeps a failing job from touching the others. A watchdog on its own
 * thread, outside every job's loop, reports a job that has not completed in time ({@link Job#timeout}) — in the
 * health component {@code jobs} (DOWN, naming the job) and the gauge {@value #OVERDUE}{job} (1) — and logs when it
 * goes overdue and when it recovers.
 */
@Component
public class Engine implements SmartLifecycle {

    public static final String RUN_TIMER = "wardfleet.jobs.run";
    public static final String LAST_SUCCESS = "wardfleet.jobs.last.success";
    public static final String OVERDUE = "wardfleet.jobs.overdue";

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final long IDLE = Long.MIN_VALUE;

    /** What the watchdog sees of one job now; {@code overdue} is null while the job is in time. */
    public record JobStatus(String name, Duration interval, Job.Scope scope, Instant lastSuccess, String overdue) {
    }

    private final List<Registered> jobs = new ArrayList<>();
    private final JobFailures failures;
    private final JobLeases leases;
    private final Duration watchdogEvery;
    private final String instanceId = UUID.randomUUID().toString();
    private volatile Disposable.Composite running;
    private volatile Scheduler watchdogThread;

    @Autowired
    Engine(ObjectProvider<Job> jobs, JobFailures failures, MeterRegistry meters, ObjectProvider<JobLeases> leases,
            @Value("${wardfleet.jobs.watchdog:5s}") Duration watchdogEvery) {
        this(jobs.orderedStream().toList(), failures, meters, leases.getIfAvailable(), watchdogEvery);
    }

    /** An engine for {@code jobs}; {@code leases} may be null when no job is {@link Job.Scope#ONE_INSTANCE}. */
    public Engine(List<Job> jobs, JobFailures failures, MeterRegistry meters, JobLeases leases,
            Duration watchdogEvery) {
        this.failures = failures;
        this.leases = leases;
        this.watchdogEvery = watchdogEvery;
        Set<String> names = new HashSet<>();
        for (Job job : jobs) {
            if (!names.add(job.name())) {
                throw new IllegalStateException("Two periodic jobs are named " + job.name());
            }
            if (job.scope() == Job.Scope.ONE_INSTANCE && leases == null) {
                throw new IllegalStateException(job.name() + " runs on one instance and needs job leases");
            }
            if (job.enabled()) {
                this.jobs.add(new Registered(job, meters));
            }
        }
    }

    /** The registered jobs (enabled ones) as the watchdog sees them now. */
    public List<JobStatus> status() {
        long now = System.nanoTime();
        return jobs.stream().map(r -> new JobStatus(r.job.name(), r.job.interval(), r.job.scope(),
                r.lastSuccessMillis == 0 ? null : Instant.ofEpochMilli(r.lastSuccessMillis), r.overdue(now))).toList();
    }

    @Override
    public void start() {
        Disposable.Composite all = Disposables.composite();
        long now = System.nanoTime();
        for (Registered r : jobs) {
            r.watchedSince = now;
            r.lastCompleted = IDLE;
            all.add(Flux.interval(r.job.initialDelay(), r.job.interval(), Schedulers.parallel())
                    // a run slower than the interval skips ticks: without this the interval overflows and ends the job
                    .onBackpressureDrop()
                    .concatMap(tick -> runOnce(r), 1)
                    .subscribe());
        }
        Scheduler thread = Schedulers.newSingle("jobs-watchdog", true);
        watchdogThread = thread;
        all.add(Flux.interval(watchdogEvery, watchdogEvery, thread).onBackpressureDrop()
                .subscribe(tick -> watch()));
        running = all;
    }

    /** One run through the engine: lease (if any), timing, failure counting, bookkeeping for the watchdog. */
    Mono<Void> runOnce(Registered r) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            r.runningSince.set(start);
            Mono<Boolean> work = Mono.defer(() -> r.job.run()).then(Mono.just(true));
            if (r.job.scope() == Job.Scope.ONE_INSTANCE) {
                Instant at = Instant.now();
                work = leases.claim(r.job.name(), instanceId, at, at.plus(r.job.interval()).plus(r.job.timeout()))
                        .flatMap(mine -> mine ? Mono.defer(() -> r.job.run()).then(Mono.just(true))
                                : Mono.just(false));
            }
            return work
                    .doOnNext(ran -> {
                        if (ran) {
                            r.succeeded.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                            r.lastSuccessMillis = System.currentTimeMillis();
                        }
                    })
                    .onErrorResume(e -> {
                        r.failed.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                        failures.failed(r.job.name(), "run", e);
                        return Mono.empty();
                    })
                    .doFinally(signal -> {
                        r.lastCompleted = System.nanoTime();
                        r.runningSince.set(IDLE);
                    })
                    .then();
        });
    }

    /** The watchdog's pass: says in the log when a job goes overdue and when it is back in time. */
    private void watch() {
        long now = System.nanoTime();
        for (Registered r : jobs) {
            String overdue = r.overdue(now);
            if (overdue != null && !r.reported) {
                r.reported = true;
                log.warn("Periodic job {} has not completed in time: {}", r.job.name(), overdue);
            } else if (overdue == null && r.reported) {
                r.reported = false;
                log.info("Periodic job {} is running in time again", r.job.name());
            }
        }
    }

    @Override
    public void stop() {
        Disposable.Composite r = running;
        if (r != null) {
            r.dispose();
        }
        Scheduler thread = watchdogThread;
        if (thread != null) {
            thread.dispose();
        }
        for (Registered job : jobs) {
            job.watchedSince = IDLE;
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }

    /** One job with its meters and what the watchdog reads: written by the job's loop, read by the watchdog. */
    static final class Registered {
        final Job job;
        final Timer succeeded;
        final Timer failed;
        final AtomicLong runningSince = new AtomicLong(IDLE);
        volatile long lastCompleted = IDLE;
        volatile long watchedSince = IDLE;
        volatile long lastSuccessMillis;
        volatile boolean reported;

        Registered(Job job, MeterRegistry meters) {
            this.job = job;
            this.succeeded = Timer.builder(RUN_TIMER).tag("job", job.name()).tag("outcome", "success")
                    .description("Runs of a periodic job").register(meters);
            this.failed = Timer.builder(RUN_TIMER).tag("job", job.name()).tag("outcome", "failure")
                    .description("Runs of a periodic job").register(meters);
            Gauge.builder(LAST_SUCCESS, this, r -> r.lastSuccessMillis / 1000.0).tag("job", job.name())
                    .baseUnit("seconds").description("When the job last completed a run without error (epoch)")
                    .register(meters);
            Gauge.builder(OVERDUE, this, r -> r.overdue(System.nanoTime()) == null ? 0 : 1).tag("job", job.name())
                    .description("1 while the job has not completed in time (stuck, or not run)").register(meters);
        }

        /** Why the job is overdue at {@code now} (nanoTime), or null when it is in time or the engine is stopped. */
        String overdue(long now) {
            long since = watchedSince;
            if (since == IDLE) {
                return null;
            }
            long timeout = job.timeout().toNanos();
            long started = runningSince.get();
            if (started != IDLE) {
                return now - started > timeout ? "a run has been going for " + seconds(now - started)
                        + " (timeout " + job.timeout() + ")" : null;
            }
            long completed = lastCompleted;
            long last = completed != IDLE ? completed : since + job.initialDelay().toNanos() - job.interval().toNanos();
            return now - last > job.interval().toNanos() + timeout
                    ? (completed == IDLE ? "no run has completed since start" : "no run has completed for "
                            + seconds(now - last)) : null;
        }

        private static String seconds(long nanos) {
            return Duration.ofNanos(nanos).toSeconds() + " s";
        }
    }
}
