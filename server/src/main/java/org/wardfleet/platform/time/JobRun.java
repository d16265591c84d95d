package org.wardfleet.platform.time;

import java.util.function.Function;

import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Failure isolation for a {@link Job}'s items, under the job's name. One organisation's or record's failure
 * is logged and counted ({@code wardfleet.jobs.failures{job}}) and skipped; the next item, and the next run, go on.
 */
public final class JobRun {

    private final String job;
    private final JobFailures failures;

    public JobRun(String job, JobFailures failures) {
        this.job = job;
        this.failures = failures;
    }

    /** A run outside the engine (a test driving a job by hand, a second instance): failures logged only. */
    public static JobRun standalone(String job) {
        return new JobRun(job, JobFailures.logOnly());
    }

    public String job() {
        return job;
    }

    /** One organisation's or record's share of a run: a failure is logged, counted and skipped. */
    public <T> Mono<T> isolate(String item, Mono<T> work) {
        return failures.isolate(job, item, work);
    }

    /** {@link #isolate} for work with many results. */
    public <T> Flux<T> isolateMany(String item, Flux<T> work) {
        return failures.isolateMany(job, item, work);
    }

    /** Counts and logs an item skipped without an exception in flight (e.g. a stored record that cannot be read). */
    public void skipped(String item, Throwable why) {
        failures.failed(job, item, why);
    }

    /**
     * {@code work} for each organisation in turn, each isolated ({@code "organisation <id>"}): an organisation whose
     * work fails is skipped and the others are done.
     */
    public <T> Flux<T> perOrganisation(Publisher<String> orgIds, Function<String, ? extends Publisher<T>> work) {
        return Flux.from(orgIds).concatMap(org -> isolateMany("organisation " + org, Flux.defer(() -> work.apply(org))));
    }
}
