package org.wardfleet.messaging.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit of receipts: each caller waits for its own write, but writes that arrive together for one message are
 * made as one ({@code write} gets the message's key and its jobs, in arrival order, and completes each job's sink).
 * When a broadcast reaches 10,000 phones — or 10,000 people answer it — that is a few writes, not 10,000. Passes run
 * one after another; a pass takes everything waiting, up to {@code maxBatch}, and writes up to four messages at once.
 *
 * @param <J> a job: one receipt, with the sink its caller waits on
 */
final class GroupCommit<J extends GroupCommit.Job<?>> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** One receipt waiting to be written; {@code done} completes its caller. */
    interface Job<R> {
        /** Which message (jobs with the same key are written together). */
        String key();

        Sinks.One<R> done();
    }

    private final int maxBatch;
    private final BiFunction<String, List<J>, Mono<Void>> write;
    private final ConcurrentLinkedQueue<J> waiting = new ConcurrentLinkedQueue<>();
    private final Sinks.Many<Boolean> ticks = Sinks.many().multicast().onBackpressureBuffer(1, false);
    private volatile Disposable running;
    /** The pass being written: stopping fails its jobs too, since cancelling the pass completes none of them. */
    private volatile List<J> writing = List.of();

    GroupCommit(int maxBatch, BiFunction<String, List<J>, Mono<Void>> write) {
        this.maxBatch = maxBatch;
        this.write = write;
    }

    /**
     * Queues the job; the returned result is its sink's, published on the parallel workers: a pass completes
     * thousands of callers at once, and their remaining work (audit, answers) must not queue behind each other on
     * the thread that wrote the pass.
     */
    <R> Mono<R> submit(java.util.function.Supplier<J> newJob, Function<J, Mono<R>> result) {
        return Mono.defer(() -> {
            J job = newJob.get(); // per subscription: a retried caller queues a fresh job with a fresh sink
            waiting.add(job);
            kick();
            return result.apply(job).publishOn(reactor.core.scheduler.Schedulers.parallel());
        });
    }

    /**
     * At shutdown: whatever is still waiting, and whatever the cancelled pass was writing, is failed — never silently
     * dropped (a job already completed ignores this).
     */
    private void failWaiting(RuntimeException error) {
        writing.forEach(job -> job.done().tryEmitError(error));
        for (J job = waiting.poll(); job != null; job = waiting.poll()) {
            job.done().tryEmitError(error);
        }
    }

    private void kick() {
        // a full buffer means a tick is already pending, and that pass drains this job too; a concurrent emit is retried
        Sinks.EmitResult result;
        do {
            result = ticks.tryEmitNext(Boolean.TRUE);
        } while (result == Sinks.EmitResult.FAIL_NON_SERIALIZED);
    }

    /** One pass: everything waiting (up to the batch size), one write per message. */
    private Mono<Void> drain() {
        List<J> batch = new ArrayList<>();
        for (J job = waiting.poll(); job != null; job = batch.size() < maxBatch ? waiting.poll() : null) {
            batch.add(job);
        }
        writing = batch;
        Map<String, List<J>> byMessage = new LinkedHashMap<>();
        batch.forEach(job -> byMessage.computeIfAbsent(job.key(), k -> new ArrayList<>()).add(job));
        return Flux.fromIterable(byMessage.entrySet())
                .flatMap(e -> Mono.defer(() -> write.apply(e.getKey(), e.getValue()))
                        .onErrorResume(error -> {
                            log.warn("Receipts for message {} not written: {}", e.getKey(), error.toString());
                            e.getValue().forEach(j -> j.done().tryEmitError(error));
                            return Mono.empty();
                        }), 4)
                // a pass capped at the batch size leaves jobs whose ticks were folded into this one: go again
                .then(Mono.fromRunnable(() -> {
                    if (!waiting.isEmpty()) {
                        kick();
                    }
                }));
    }

    /**
     * Starts the passes, one after another, until {@link #stop}: ticks that arrive while a pass runs are served by the
     * next pass, which drains whatever is waiting then. Its owner, a lifecycle bean, starts and stops it.
     */
    @Override
    public void start() {
        running = ticks.asFlux().onBackpressureLatest().concatMap(tick -> drain(), 1).subscribe();
    }

    /** Ends the passes; whatever is still waiting gets a retryable error rather than waiting forever. */
    @Override
    public void stop() {
        Disposable r = running;
        if (r != null) {
            r.dispose();
        }
        failWaiting(ProblemType.UNAVAILABLE.exception("The server is stopping; send the receipt again"));
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }

    /**
     * Stops after the web server has drained its requests (graceful shutdown runs at a higher phase) and before the
     * audit log (which the callers still write to), so the receipts those requests wait for are still written.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 3072;
    }
}
