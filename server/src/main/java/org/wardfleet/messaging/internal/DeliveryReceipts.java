package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit of DELIVERED receipts from device fetches: each fetch waits for its own receipt to be written (so what a
 * fetch returned is DELIVERED by the time the device has it), but receipts arriving together for one message are
 * written as one batched insert of receipt documents ({@link MessageStore#deliveredMany}). When a broadcast reaches
 * 10,000 phones at once, that is a few round trips rather than 10,000, and the message document is not rewritten.
 */
@Component
class DeliveryReceipts implements org.springframework.context.SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);
    /** Receipts per pass: one insert of up to this many small documents (the driver splits it if it must). */
    static final int MAX_BATCH = 10_000;

    /** A message whose receipts have been quiet this long is folded into its document (one update). */
    static final java.time.Duration FOLD_AFTER = java.time.Duration.ofSeconds(2);

    private final MessageStore store;
    private final ConcurrentLinkedQueue<Job> waiting = new ConcurrentLinkedQueue<>();
    private final Sinks.Many<Boolean> ticks = Sinks.many().multicast().onBackpressureBuffer(1, false);
    /** Messages with receipts written here and not folded yet → when the last were written (nanoTime). */
    private final java.util.concurrent.ConcurrentHashMap<Unfolded, Long> unfolded =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile reactor.core.Disposable running;
    private volatile reactor.core.Disposable folding;

    private record Unfolded(String orgId, String messageId) {
    }

    DeliveryReceipts(MessageStore store) {
        this.store = store;
    }

    private record Job(String orgId, String messageId, String userId, Instant at, Sinks.One<Boolean> done) {
    }

    /** The user's copy of the message reached a device; true when this moved them from SENT to DELIVERED. */
    Mono<Boolean> delivered(String orgId, String messageId, String userId, Instant at) {
        return Mono.defer(() -> {
            Job job = new Job(orgId, messageId, userId, at, Sinks.one());
            waiting.add(job);
            kick();
            // a batch completes thousands of fetches at once: their remaining work (audit, packaging, sending) goes
            // to the parallel workers instead of queueing behind each other on the thread that wrote the batch
            return job.done().asMono().publishOn(reactor.core.scheduler.Schedulers.parallel());
        });
    }

    private void kick() {
        // a full buffer means a tick is already pending, and that pass drains this job too; a concurrent emit is retried
        Sinks.EmitResult result;
        do {
            result = ticks.tryEmitNext(Boolean.TRUE);
        } while (result == Sinks.EmitResult.FAIL_NON_SERIALIZED);
    }

    /** One pass: everything waiting (up to {@link #MAX_BATCH}), one update per message. */
    private Mono<Void> drain() {
        List<Job> batch = new ArrayList<>();
        for (Job job = waiting.poll(); job != null; job = batch.size() < MAX_BATCH ? waiting.poll() : null) {
            batch.add(job);
        }
        Map<String, List<Job>> byMessage = new LinkedHashMap<>();
        batch.forEach(job -> byMessage.computeIfAbsent(job.orgId() + "/" + job.messageId(), k -> new ArrayList<>())
                .add(job));
        return Flux.fromIterable(byMessage.values())
                .flatMap(jobs -> {
                    Map<String, Instant> users = new LinkedHashMap<>();
                    jobs.forEach(j -> users.putIfAbsent(j.userId(), j.at()));
                    return store.deliveredMany(jobs.get(0).orgId(), jobs.get(0).messageId(), users)
                            .doOnNext(moved -> {
                                if (!moved.isEmpty()) {
                                    unfolded.put(new Unfolded(jobs.get(0).orgId(), jobs.get(0).messageId()),
                                            System.nanoTime());
                                }
                                finish(jobs, moved);
                            })
                            .onErrorResume(e -> {
                                log.warn("Delivery receipts for message {} not written: {}", jobs.get(0).messageId(),
                                        e.toString());
                                jobs.forEach(j -> j.done().tryEmitError(e));
                                return Mono.empty();
                            });
                }, 4)
                // a pass capped at MAX_BATCH leaves jobs whose ticks were folded into this one: go again
                .then(Mono.fromRunnable(() -> {
                    if (!waiting.isEmpty()) {
                        kick();
                    }
                }));
    }

    /**
     * Folds the messages whose receipts have gone quiet (a broadcast's burst is over): afterwards reading them needs
     * no receipt lookups. One at a time, off the receipt path; a fold that fails is only a slower read later.
     */
    Mono<Integer> foldQuiet() {
        long now = System.nanoTime();
        List<Unfolded> due = new ArrayList<>();
        unfolded.forEach((message, last) -> {
            if (now - last >= FOLD_AFTER.toNanos()) {
                due.add(message);
            }
        });
        return Flux.fromIterable(due)
                .concatMap(message -> {
                    Long last = unfolded.get(message);
                    return store.fold(message.orgId(), message.messageId())
                            // receipts written since this fold started wait for the next one
                            .doOnSuccess(folded -> unfolded.remove(message, last))
                            .onErrorResume(e -> {
                                log.debug("Receipts of message {} not folded yet: {}", message.messageId(),
                                        e.toString());
                                return Mono.just(0);
                            });
                })
                .reduce(0, Integer::sum);
    }

    @Override
    public void start() {
        // ticks that arrive while a pass runs are served by the next pass, which drains whatever is waiting then
        running = ticks.asFlux().onBackpressureLatest().concatMap(tick -> drain(), 1).subscribe();
        folding = Flux.interval(FOLD_AFTER.dividedBy(2)).onBackpressureDrop().concatMap(tick -> foldQuiet(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        for (reactor.core.Disposable d : new reactor.core.Disposable[] {running, folding}) {
            if (d != null) {
                d.dispose();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }

    private static void finish(List<Job> jobs, Set<String> moved) {
        Set<String> told = new java.util.HashSet<>();
        for (Job j : jobs) {
            // the first job of a user reports the move; duplicates of the same user (two devices) report none
            j.done().tryEmitValue(moved.contains(j.userId()) && told.add(j.userId()));
        }
    }
}
