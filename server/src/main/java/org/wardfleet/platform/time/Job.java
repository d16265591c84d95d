package org.wardfleet.platform.time;

import java.time.Duration;
import java.util.Locale;

import reactor.core.publisher.Mono;

/**
 * Periodic work (a sweep, a timer, a rotation) that the {@link Engine} runs: a Spring bean implementing this is
 * registered, run every {@link #interval}, timed, counted and watched; the job itself holds no loop, no thread and no
 * lifecycle. Durable state lives in MongoDB; a run is one pass over it.
 */
public interface Job {

    /** Where a job runs when several Wardfleet instances share one database. */
    enum Scope {
        /**
         * Every instance runs it: work on the instance's own state (its streams, caches, keys), or work over shared
         * records that claims each record with its own lease (escalation steps, enforcement steps, intents).
         */
        EVERY_INSTANCE,
        /**
         * One instance at a time runs it, under a lease on the job ({@code job_leases}, {@link JobLeases}): the holder
         * keeps it while it runs the job; another instance takes over once the lease has run out.
         */
        ONE_INSTANCE
    }

    /** The shortest time a run may take before the watchdog calls the job stuck. */
    Duration MIN_TIMEOUT = Duration.ofSeconds(30);

    /** The job's name in logs, metrics ({@code job} tag) and health: kebab case, stable. */
    String name();

    /** How often to run; a run slower than this skips the ticks it overran, it never overlaps itself. */
    Duration interval();

    /** The first run comes one interval after start unless the job says otherwise. */
    default Duration initialDelay() {
        return interval();
    }

    default Scope scope() {
        return Scope.EVERY_INSTANCE;
    }

    /**
     * How long a run may take; the watchdog reports the job (health {@code jobs}, gauge {@code wardfleet.jobs.overdue})
     * when a run has gone on longer, or no run has completed within {@code interval + timeout}. Default: the
     * interval, at least {@link #MIN_TIMEOUT}.
     */
    default Duration timeout() {
        return interval().compareTo(MIN_TIMEOUT) > 0 ? interval() : MIN_TIMEOUT;
    }

    /** A job switched off by configuration (e.g. webhook delivery without a webhook) is not run or watched. */
    default boolean enabled() {
        return true;
    }

    /**
     * One run. Its error (or exception) is logged and counted, never fatal: the next tick runs again. Work for many
     * organisations or records goes through a {@link JobRun} ({@link JobRun#isolate}, {@link JobRun#perOrganisation}:
     * {@code new JobRun(name(), failures)} with the injected {@link JobFailures}), so that one failure skips that item
     * only and is counted under the job's name.
     */
    Mono<?> run();

    /** A class name in kebab case ({@code MessageKeySweep} → {@code message-key-sweep}). */
    static String nameOf(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
