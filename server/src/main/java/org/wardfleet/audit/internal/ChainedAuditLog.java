package org.wardfleet.audit.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.web.RequestContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Appends to an organisation's chain without transactions: claim sequence {@code head + 1} by inserting under the
 * unique index; on conflict another writer (this instance or another) got there first, so take its entry as the new
 * head and try the next number.
 */
@Component
class ChainedAuditLog implements AuditLog {

    static final int MAX_ATTEMPTS = 200;

    private final AuditRepository repository;
    private final Clock clock;
    /** Last head this instance saw per organisation: saves a read per append; a stale one only costs a retry. */
    private final Map<String, AuditRepository.Head> heads = new ConcurrentHashMap<>();
    private final Counter conflicts;

    ChainedAuditLog(AuditRepository repository, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.clock = clock;
        this.conflicts = meters.counter("wardfleet.audit.append.conflicts");
    }

    @Override
    public Mono<Void> record(AuditEvent event) {
        return RequestContext.current().flatMap(context -> knownHead(event.orgId())
                .flatMap(head -> append(event, context, head, 1)));
    }

    private Mono<AuditRepository.Head> knownHead(String orgId) {
        AuditRepository.Head cached = heads.get(orgId);
        return cached != null ? Mono.just(cached) : repository.head(orgId);
    }

    private Mono<Void> append(AuditEvent event, RequestContext context, AuditRepository.Head head, int attempt) {
        AuditEntry entry = chained(event, context, head);
        return repository.insert(event.orgId(), entry)
                .then(Mono.defer(() -> advance(event.orgId(), new AuditRepository.Head(entry.seq(), entry.hash()))))
                .onErrorResume(Documents::isDuplicateKey, taken -> {
                    if (attempt >= MAX_ATTEMPTS) {
                        return Mono.error(new IllegalStateException("Audit chain contention for " + event.orgId()));
                    }
                    conflicts.increment();
                    return repository.entry(event.orgId(), entry.seq())
                            .map(other -> new AuditRepository.Head(other.seq(), other.hash()))
                            .switchIfEmpty(repository.head(event.orgId()))
                            .flatMap(next -> append(event, context, next, attempt + 1));
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
