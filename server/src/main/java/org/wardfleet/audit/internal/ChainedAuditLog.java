package org.wardfleet.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.audit.AuditProblems;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.RequestContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Appends to an organisation's chain without transactions. A batch claims sequence {@code head + 1} onwards by
 * inserting its entries under the unique {@code (orgId, seq)} index — on a conflict another instance got there first,
 * so its entry becomes the new head and the rest try the next numbers — and then moves the organisation's head
 * ({@code audit_heads}: the last sequence number and hash written, forward only). Storage acknowledges a write only
 * once it is durable, so the head never leads the stored entries unless entries were lost after they were written
 * (a restore, a storage fault): verification then reports the gap, and later entries chain on from the recorded head,
 * so a lost number is never handed out again. A crash between the two writes only leaves the head behind; the next
 * writer walks it forward over the entries above it.
 * <p>
 * Within one instance, an organisation's appends queue and are written one batch at a time (a chain is serial by
 * nature); a caller waits its turn, however long the queue, and is refused (503 {@code audit-unavailable}) only when
 * {@link #MAX_WAITING} entries already wait or storage does not answer. Between instances a lost claim means
 * another writer took the number: chain after its entries and try again, as often as it takes within the batch
 * timeout.
 */
@Component
class ChainedAuditLog implements AuditLog, SmartLifecycle {

    static final int MAX_BATCH = 256;
    /** Per organisation and instance: beyond this a new entry is refused rather than queued without bound. */
    static final int MAX_WAITING = 20_000;
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final AuditRepository repository;
    private final Clock clock;
    /** Last head this instance moved or saw per organisation: saves a read per batch; a stale one costs a retry. */
    private final Map<String, AuditRepository.Head> heads = new ConcurrentHashMap<>();
    private final Counter conflicts;
    private final Counter refused;
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();
    /** Appends accepted and not yet settled, so that stopping can wait for them. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile boolean running;

    private record Job(AuditEvent event, RequestContext context, Sinks.One<Void> done) {
    }

    /**
     * One organisation's queue. {@code writing} is held by whoever writes a batch; that writer looks at the queue
     * again when its batch is done, so an entry added meanwhile is never stranded and nobody spins or waits on a lock.
     */
    private static final class Writer {
        final Queue<Job> waiting = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        final AtomicBoolean writing = new AtomicBoolean();
        volatile Mono<Void> batchInFlight = Mono.empty();
    }

    ChainedAuditLog(AuditRepository repository, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.clock = clock;
        this.conflicts = meters.counter("wardfleet.audit.append.conflicts");
        this.refused = meters.counter("wardfleet.audit.append.refused");
    }

    @Override
    public Mono<Void> record(AuditEvent event) {
        return RequestContext.current().flatMap(context -> {
            Writer writer = writers.computeIfAbsent(event.orgId(), id -> new Writer());
            if (writer.size.incrementAndGet() > MAX_WAITING) {
                writer.size.decrementAndGet();
                refused.increment();
                return Mono.error(unavailable("Too many audit entries are waiting; retry shortly"));
            }
            Job job = new Job(event, context, Sinks.one());
            unsettled.incrementAndGet();
            writer.waiting.add(job);
            pump(event.orgId(), writer);
            return job.done().asMono().doFinally(signal -> unsettled.decrementAndGet());
        });
    }

    /** Completes when the batch this instance is writing for the organisation now (if any) is settled. */
    Mono<Void> settled(String orgId) {
        Writer writer = writers.get(orgId);
        return writer == null ? Mono.empty() : writer.batchInFlight;
    }

    /** Starts a batch unless one is being written; the writer of that batch calls this again when it is done. */
    private void pump(String orgId, Writer writer) {
        while (!writer.waiting.isEmpty() && writer.writing.compareAndSet(false, true)) {
            List<Job> batch = drain(writer);
            if (batch.isEmpty()) {
                writer.writing.set(false);
                continue;
            }
            Sinks.Empty<Void> settled = Sinks.empty();
            writer.batchInFlight = settled.asMono();
            write(orgId, batch)
                    .doFinally(signal -> {
                        settled.tryEmitEmpty();
                        writer.writing.set(false);
                        pump(orgId, writer);
                    })
                    .subscribe();
            return;
        }
    }

    private static List<Job> drain(Writer writer) {
        List<Job> batch = new ArrayList<>();
        for (Job job = writer.waiting.poll(); job != null; job = batch.size() < MAX_BATCH ? writer.waiting.poll()
                : null) {
            batch.add(job);
        }
        writer.size.addAndGet(-batch.size());
        return batch;
    }

    /** One batch; never fails (each job gets its own outcome), so the queue always moves on. */
    private Mono<Void> write(String orgId, List<Job> batch) {
        // a storage call that never answers must not hold this organisation's queue forever
        return knownHead(orgId).flatMap(head -> append(orgId, batch, head, 0))
                .timeout(BATCH_TIMEOUT)
                .onErrorResume(error -> {
                    heads.remove(orgId);
                    ProblemException problem = error instanceof ProblemException p ? p
                            : unavailable("The audit log's storage did not answer; retry shortly");
                    batch.forEach(job -> job.done().tryEmitError(problem));
                    return Mono.empty();
                });
    }

    private static ProblemException unavailable(String detail) {
        return AuditProblems.AUDIT_UNAVAILABLE.exception(detail).retryAfter(RETRY_AFTER);
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
        return cached != null ? Mono.just(cached) : storedHead(orgId);
    }

    /**
     * The head as stored, walked forward to the last stored entry above it (a writer that stopped between writing its
     * entries and moving the head, or another instance's entries not yet reflected).
     */
    private Mono<AuditRepository.Head> storedHead(String orgId) {
        return repository.head(orgId).flatMap(head -> repository.lastAbove(orgId, head.seq())
                .map(last -> new AuditRepository.Head(last.seq(), last.hash()))
                .flatMap(last -> repository.advanceHead(orgId, last).thenReturn(last))
                .defaultIfEmpty(head));
    }

    private Mono<Void> append(String orgId, List<Job> jobs, AuditRepository.Head head, int lost) {
        List<AuditEntry> entries = new ArrayList<>(jobs.size());
        AuditRepository.Head previous = head;
        for (Job job : jobs) {
            AuditEntry entry = chained(job.event(), job.context(), previous);
            entries.add(entry);
            previous = new AuditRepository.Head(entry.seq(), entry.hash());
        }
        AuditRepository.Head last = previous;
        // the entries first, under the unique (orgId, seq) index that settles races between instances; the head moves
        // after them, so it never leads the stored entries unless entries were lost after they were written — which
        // verification then reports — and a crash between the two only leaves it behind (the next writer walks on)
        return repository.insertAll(orgId, entries)
                .then(Mono.defer(() -> advance(orgId, last)))
                .doOnSuccess(done -> jobs.forEach(job -> job.done().tryEmitEmpty()))
                .onErrorResume(Documents::isDuplicateKey, taken -> {
                    // ordered insert: everything before the first failure is in the chain
                    int written = Documents.firstFailedIndex(taken);
                    jobs.subList(0, written).forEach(job -> job.done().tryEmitEmpty());
                    // another instance holds the next number: wait a moment (more each time) and chain after it
                    conflicts.increment();
                    heads.remove(orgId);
                    return Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1 + Math.min(lost, 50))))
                            .then(storedHead(orgId))
                            .flatMap(next -> append(orgId, jobs.subList(written, jobs.size()), next, lost + 1));
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
