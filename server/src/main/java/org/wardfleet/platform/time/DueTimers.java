package org.wardfleet.platform.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Work due at an instant, run then rather than at a job's next pass: a {@link Job} that finds work coming due before
 * its next run (an escalation step due in 400 ms) sets a timer for it here. Timers are memory only — one lost with the
 * process leaves its work due in storage, for the job's next pass here or on another instance — and keyed, so the same
 * work is not timed twice; at most {@link #MAX_PENDING} wait at once (beyond that the job's next pass takes the work).
 * Stopped with the application: pending timers are cancelled.
 */
@Component
public class DueTimers implements SmartLifecycle {

    static final int MAX_PENDING = 10_000;

    private final Clock clock;
    private final Map<String, Disposable> pending = new ConcurrentHashMap<>();
    private volatile boolean running;

    public DueTimers(Clock clock) {
        this.clock = clock;
    }

    /**
     * Runs {@code work} at {@code at} (at once if that has passed), isolated under the job's name ({@code item} names
     * it in the log); false when it was not set: already pending under {@code key}, too many pending, or stopped.
     */
    public boolean at(JobRun job, String key, String item, Instant at, Supplier<Mono<?>> work) {
        if (!running || pending.size() >= MAX_PENDING) {
            return false;
        }
        String id = job.job() + "/" + key;
        boolean[] set = {false};
        pending.computeIfAbsent(id, k -> {
            set[0] = true;
            Duration wait = Duration.between(clock.instant(), at);
            return Mono.delay(wait.isNegative() ? Duration.ZERO : wait)
                    .then(job.isolate(item, Mono.defer(work::get)))
                    .doFinally(signal -> pending.remove(k))
                    .subscribe();
        });
        return set[0];
    }

    /** Timers waiting now. */
    public int pending() {
        return pending.size();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        pending.values().forEach(Disposable::dispose);
        pending.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
