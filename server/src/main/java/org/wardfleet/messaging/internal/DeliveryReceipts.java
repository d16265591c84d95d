package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit of DELIVERED receipts from device fetches: each fetch waits for its own receipt to be written (so what a
 * fetch returned is DELIVERED by the time the device has it), but receipts arriving together for one message are
 * written as one batched insert of receipt documents ({@link ReceiptStore#deliveredMany}). When a broadcast reaches
 * 10,000 phones at once, that is a few round trips rather than 10,000, and the message document is not rewritten.
 */
@Component
class DeliveryReceipts implements org.springframework.context.SmartLifecycle, org.wardfleet.platform.time.Job {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);
    /** Receipts per pass: one insert of up to this many small documents (the driver splits it if it must). */
    static final int MAX_BATCH = 10_000;

    /** A message whose receipts have been quiet this long is folded into its document (one update). */
    static final java.time.Duration FOLD_AFTER = java.time.Duration.ofSeconds(2);

    private final ReceiptStore store;
    private final GroupCommit<Job> commits = new GroupCommit<>(MAX_BATCH, this::write);
    /** Messages with receipts written here and not folded yet → when the last were written (nanoTime). */
    private final java.util.concurrent.ConcurrentHashMap<Unfolded, Long> unfolded =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Unfolded(String orgId, String messageId) {
    }

    /**
     * Receipts folded here, deleted {@link #FORGET_AFTER} later: a reader that read the message before the fold
     * still finds them.
     */
    private record Folded(String orgId, List<String> ids, long at) {
    }

    /** Long enough that no read of a message is still between its two queries. */
    static final java.time.Duration FORGET_AFTER = java.time.Duration.ofMinutes(1);

    private final java.util.concurrent.ConcurrentLinkedQueue<Folded> folded =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    DeliveryReceipts(ReceiptStore store) {
        this.store = store;
    }

    private record Job(String orgId, String messageId, String userId, Instant at, Sinks.One<Boolean> done)
            implements GroupCommit.Job<Boolean> {

        @Override
        public String key() {
            return orgId + "/" + messageId;
        }
    }

    /** The user's copy of the message reached a device; true when this moved them from SENT to DELIVERED. */
    Mono<Boolean> delivered(String orgId, String messageId, String userId, Instant at) {
        return commits.submit(() -> new Job(orgId, messageId, userId, at, Sinks.one()), job -> job.done().asMono());
    }

    /** One message's receipts of a pass: one insert of receipt documents. */
    private Mono<Void> write(String key, List<Job> jobs) {
        Job first = jobs.get(0);
        Map<String, Instant> users = new LinkedHashMap<>();
        jobs.forEach(j -> users.putIfAbsent(j.userId(), j.at()));
        return store.deliveredMany(first.orgId(), first.messageId(), users)
                .doOnNext(moved -> {
                    if (!moved.isEmpty()) {
                        unfolded.put(new Unfolded(first.orgId(), first.messageId()), System.nanoTime());
                    }
                    finish(jobs, moved);
                })
                .then();
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
                            .doOnSuccess(ids -> {
                                unfolded.remove(message, last);
                                if (ids != null && !ids.isEmpty()) {
                                    folded.add(new Folded(message.orgId(), ids, System.nanoTime()));
                                }
                            })
                            .map(List::size)
                            .onErrorResume(e -> {
                                log.debug("Receipts of message {} not folded yet: {}", message.messageId(),
                                        e.toString());
                                return Mono.just(0);
                            });
                })
                .reduce(0, Integer::sum)
                .flatMap(count -> forgetFolded(System.nanoTime() - FORGET_AFTER.toNanos()).thenReturn(count));
    }

    /** Deletes the receipts folded before {@code nanoTime}; returns how many. */
    Mono<Long> forgetFolded(long before) {
        List<Folded> due = new ArrayList<>();
        for (Folded f = folded.peek(); f != null && f.at() - before <= 0; f = folded.peek()) {
            due.add(folded.poll());
        }
        return Flux.fromIterable(due).concatMap(f -> store.forgetReceipts(f.orgId(), f.ids())
                        .onErrorResume(e -> Mono.just(0L)))
                .reduce(0L, Long::sum);
    }

    @Override
    public void start() {
        commits.start();
    }

    @Override
    public void stop() {
        commits.stop();
    }

    /** The engine's job: folding this instance's quiet messages (what it wrote is known here only). */
    @Override
    public String name() {
        return "receipt-fold";
    }

    @Override
    public java.time.Duration interval() {
        return FOLD_AFTER.dividedBy(2);
    }

    @Override
    public Mono<?> run() {
        return foldQuiet();
    }

    @Override
    public int getPhase() {
        return commits.getPhase();
    }

    @Override
    public boolean isRunning() {
        return commits.isRunning();
    }

    private static void finish(List<Job> jobs, Set<String> moved) {
        Set<String> told = new java.util.HashSet<>();
        for (Job j : jobs) {
            // the first job of a user reports the move; duplicates of the same user (two devices) report none
            j.done().tryEmitValue(moved.contains(j.userId()) && told.add(j.userId()));
        }
    }
}
