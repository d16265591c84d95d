package org.wardfleet.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.web.RequestContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Appends to an organisation's chain without transactions: claim sequence {@code head + 1} by inserting under the
 * unique index; on conflict another writer got there first, so take its entry as the new head and try the next
 * number. Within one instance, appends to one organisation are queued and written one at a time (a chain is serial
 * by nature, and racing writers in one process would only starve each other); the unique index settles races
 * between instances.
 */
@Component
class ChainedAuditLog implements AuditLog, SmartLifecycle {

    static final int MAX_ATTEMPTS = 200;
    static final int MAX_BATCH = 256;
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

    private final AuditRepository repository;
    private final Clock clock;
    /** Last head this instance saw per organisation: saves a read per append; a stale one only costs a retry. */
    private final Map<String, AuditRepository.Head> heads = new ConcurrentHashMap<>();
    private final Counter conflicts;
    /** One writer per organisation in this instance: its waiting jobs, and the ticks that wake it. */
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();
    /** Appends accepted and not yet settled, so that stopping can wait for them. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile boolean running;

    private record Job(AuditEvent event, RequestContext context, Sinks.One<Void> done) {
    }

    private record Writer(Queue<Job> waiting, Sinks.Many<Boolean> ticks) {
    }

    ChainedAuditLog(AuditRepository repository, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.clock = clock;
        this.conflicts = meters.counter("wardfleet.audit.append.conflicts");
    }

    @Override
    public Mono<Void> record(AuditEvent event) {
        return RequestContext.current().flatMap(context -> {
            Job job = new Job(event, context, Sinks.one());
            Writer writer = writer(event.orgId());
            unsettled.incrementAndGet();
            writer.waiting().add(job);
            writer.ticks().emitNext(Boolean.TRUE, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
            return job.done().asMono().doFinally(signal -> unsettled.decrementAndGet());
        });
    }

    /**
     * A writer is a subscription to its ticks and holds no thread, so it lives as long as this bean: pausing the
     * application (stop, then start again) must not leave an organisation without one. Each tick drains whatever is waiting (up to {@link #MAX_BATCH}) into one ordered insertMany: under load many
     * entries share a round trip, and a tick that finds the queue empty costs nothing.
     */
    private Writer writer(String orgId) {
        return writers.computeIfAbsent(orgId, id -> {
            Writer writer = new Writer(new ConcurrentLinkedQueue<>(), Sinks.many().unicast().onBackpressureBuffer());
            writer.ticks().asFlux()
                    .concatMap(tick -> {
                        List<Job> batch = drain(writer.waiting());
                        if (batch.isEmpty()) {
                            return Mono.empty();
                        }
                        // a storage call that never answers must not hold this organisation's queue forever
                        return knownHead(id).flatMap(head -> appendBatch(id, batch, head, 1))
                                .timeout(BATCH_TIMEOUT)
                                .onErrorResume(error -> {
                                    heads.remove(id);
                                    batch.forEach(job -> job.done().tryEmitError(error));
                                    return Mono.empty();
                                });
                    })
                    .subscribe();
            return writer;
        });
    }

    private static List<Job> drain(Queue<Job> waiting) {
        List<Job> batch = new ArrayList<>();
        for (Job job = waiting.poll(); job != null; job = batch.size() < MAX_BATCH ? waiting.poll() : null) {
            batch.add(job);
        }
        return batch;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Waits (a bounded time) for accepted entries to be written, so a clean shutdown loses none. */
    @Override
    public void stop() {
        running = false;
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (unsettled.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Later phases stop first: this one stops after the web server (phase {@code Integer.MAX_VALUE - 1024}) and its
     * graceful shutdown have finished the requests that audit.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    private Mono<AuditRepository.Head> knownHead(String orgId) {
        AuditRepository.Head cached = heads.get(orgId);
        return cached != null ? Mono.just(cached) : repository.head(orgId);
    }

    private Mono<Void> appendBatch(String orgId, List<Job> jobs, AuditRepository.Head head, int attempt) {
        List<AuditEntry> entries = new ArrayList<>(jobs.size());
        AuditRepository.Head previous = head;
        for (Job job : jobs) {
            AuditEntry entry = chained(job.event(), job.context(), previous);
            entries.add(entry);
            previous = new AuditRepository.Head(entry.seq(), entry.hash());
        }
        AuditRepository.Head last = previous;
        return repository.insertAll(orgId, entries)
                .then(Mono.defer(() -> advance(orgId, last)))
                .doOnSuccess(done -> jobs.forEach(job -> job.done().tryEmitEmpty()))
                .onErrorResume(Documents::isDuplicateKey, taken -> {
                    // ordered insert: everything before the first failure is in the chain
                    int written = Documents.firstFailedIndex(taken);
                    jobs.subList(0, written).forEach(job -> job.done().tryEmitEmpty());
                    if (attempt >= MAX_ATTEMPTS) {
                        return Mono.error(new IllegalStateException("Audit chain contention for " + orgId));
                    }
                    conflicts.increment();
                    long takenSeq = entries.get(written).seq();
                    List<Job> rest = jobs.subList(written, jobs.size());
                    return repository.entry(orgId, takenSeq)
                            .map(other -> new AuditRepository.Head(other.seq(), other.hash()))
                            .switchIfEmpty(repository.head(orgId))
                            .flatMap(next -> appendBatch(orgId, rest, next, attempt + 1));
                });
    }

    private Mono<Void> advance(String orgId, AuditRepository.Head head) {
        heads.merge(orgId, head, (old, neu) -> neu.seq() > old.seq() ? neu : old);
        return repository.advanceHead(orgId, head);
    }

    private AuditEntry chained(AuditEvent event, RequestContext context, AuditRepository.Head head) {
        // MongoDB keeps milliseconds: hash exactly what is stored
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        AuditEntry unsigned = new AuditEntry(head.seq() + 1, at, event.actor().type(), event.actor().id(),
                event.action(), event.target(), event.outcome().name(), event.details(), context.requestId(),
                context.sourceAddress(), head.hash(), null);
        return withHash(unsigned, AuditChain.hash(unsigned));
    }

    private static AuditEntry withHash(AuditEntry e, String hash) {
        return new AuditEntry(e.seq(), e.at(), e.actorType(), e.actorId(), e.action(), e.target(), e.outcome(),
                e.details(), e.requestId(), e.sourceAddress(), e.prevHash(), hash);
    }
}
