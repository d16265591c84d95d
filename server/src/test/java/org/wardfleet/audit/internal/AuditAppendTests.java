package org.wardfleet.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.ChainVerification;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chain under crashes and load: entries are written before the head moves, so entries lost after they were
 * written (storage that lost them, a restore) are a gap verification reports — where and how many — and a restarted
 * server never hands their numbers out again, while a server killed before or between the two writes leaves no gap.
 * Appends wait their turn, however many come at once, on one instance or two.
 */
@WardfleetTest
class AuditAppendTests {

    @Autowired ChainedAuditLog audit;
    @Autowired AuditRepository repository;
    @Autowired AuditVerifier verifier;
    @Autowired MongoDatabase db;
    @Autowired Clock clock;

    @Test
    void entriesLostAfterTheHeadMovedAreAGapAndANewEntryNeverReusesTheirNumbers() {
        String org = "org-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            audit.record(event(org, "before-" + i)).block();
        }
        String headHash = repository.head(org).block().hash();
        // storage loses the three newest entries
        Mono.from(db.getCollection("audit_entries").deleteMany(Filters.and(Filters.eq("orgId", org),
                Filters.gte("seq", 8L)))).block();

        ChainVerification lost = verifier.verify(org).block();
        assertThat(lost.valid()).isFalse();
        assertThat(lost.entries()).isEqualTo(7);
        assertThat(lost.firstBrokenSeq()).isEqualTo(8L);
        assertThat(lost.missing()).isEqualTo(3);
        assertThat(lost.gaps()).containsExactly(new ChainVerification.Gap(8, 10, 3));
        assertThat(lost.headSeq()).isEqualTo(10);

        // a restarted server (nothing cached) continues after the head, chained to the head's hash
        restarted(repository).record(event(org, "after")).block();
        AuditEntry next = repository.entry(org, 11).block();
        assertThat(next.target()).isEqualTo("after");
        assertThat(next.prevHash()).isEqualTo(headHash);
        assertThat(repository.entry(org, 8).blockOptional()).isEmpty();
        ChainVerification after = verifier.verify(org).block();
        assertThat(after.valid()).isFalse();
        assertThat(after.missing()).isEqualTo(3);
        assertThat(after.gaps()).containsExactly(new ChainVerification.Gap(8, 10, 3));
        assertThat(after.entries()).isEqualTo(8);
    }

    @Test
    void aCrashBeforeTheEntryIsWrittenRefusesTheActionAndLeavesNoGap() {
        String org = "org-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            audit.record(event(org, "before-" + i)).block();
        }
        // the server dies as it writes entry 6: nothing of it reaches storage, and its caller is refused
        AuditRepository dying = new AuditRepository(db) {
            @Override
            Mono<Void> insertAll(String orgId, List<AuditEntry> batch) {
                return Mono.error(new MongoSocketWriteException("connection lost", new ServerAddress(),
                        new java.io.IOException("simulated crash")));
            }
        };
        assertThatThrownBy(() -> restarted(dying).record(event(org, "lost")).block())
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.problemType().slug()).isEqualTo("audit-unavailable");
                    assertThat(p.getStatusCode().value()).isEqualTo(503);
                });

        // number 6 was never stored nor seen by anyone (storage answers only what it keeps): the next entry is 6
        restarted(repository).record(event(org, "after restart")).block();
        assertThat(repository.entry(org, 6).block().target()).isEqualTo("after restart");
        ChainVerification verified = verifier.verify(org).block();
        assertThat(verified.valid()).isTrue();
        assertThat(verified.missing()).isZero();
    }

    @Test
    void aCrashBetweenWritingEntriesAndMovingTheHeadNeitherLosesNorRepeatsANumber() {
        String org = "org-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            audit.record(event(org, "before-" + i)).block();
        }
        // the server dies after writing entry 6, before the head moves past it
        AuditRepository dying = new AuditRepository(db) {
            @Override
            Mono<Void> advanceHead(String orgId, Head head) {
                return Mono.error(new MongoSocketWriteException("connection lost", new ServerAddress(),
                        new java.io.IOException("simulated crash")));
            }
        };
        assertThatThrownBy(() -> restarted(dying).record(event(org, "written, head behind")).block());
        assertThat(repository.head(org).block().seq()).isEqualTo(5);

        restarted(repository).record(event(org, "after restart")).block();
        assertThat(repository.entry(org, 6).block().target()).isEqualTo("written, head behind");
        assertThat(repository.entry(org, 7).block().target()).isEqualTo("after restart");
        ChainVerification verified = verifier.verify(org).block();
        assertThat(verified.valid()).isTrue();
        assertThat(verified.entries()).isEqualTo(7);
    }

    @Test
    void aBurstFromManyThreadsWaitsItsTurnAndEveryAppendSucceeds() throws Exception {
        String org = "org-" + UUID.randomUUID();
        int threads = 16;
        int each = 400;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<java.util.concurrent.Future<?>> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                started.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        all.add(audit.record(event(org, thread + "-" + i)).toFuture());
                    }
                }));
            }
            for (java.util.concurrent.Future<?> s : started) {
                s.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        ChainVerification verified = verifier.verify(org).block();
        assertThat(verified.valid()).isTrue();
        assertThat(verified.entries()).isEqualTo((long) threads * each);
    }

    @Test
    void twoInstancesAppendingToOneChainAtOnceNeitherForkNorFail() {
        String org = "org-" + UUID.randomUUID();
        ChainedAuditLog other = restarted(repository);
        int each = 1_500;
        Flux.merge(Flux.range(0, each).flatMap(i -> audit.record(event(org, "a-" + i)), 256),
                        Flux.range(0, each).flatMap(i -> other.record(event(org, "b-" + i)), 256))
                .then().block(Duration.ofMinutes(2));
        List<Long> seqs = Flux.from(db.getCollection("audit_entries").find(Filters.eq("orgId", org)))
                .map(d -> d.getLong("seq")).collectList().block();
        assertThat(seqs).hasSize(2 * each).doesNotHaveDuplicates();
        ChainVerification verified = verifier.verify(org).block();
        assertThat(verified.valid()).as(String.valueOf(verified)).isTrue();
        assertThat(verified.headSeq()).isEqualTo(2L * each);
    }

    /** An entry written by an earlier version (entries first, head after) that stopped in between: no reuse. */
    @Test
    void anEntryAboveTheHeadIsStepppedOverNotOverwritten() {
        String org = "org-" + UUID.randomUUID();
        audit.record(event(org, "first")).block();
        AuditEntry first = repository.entry(org, 1).block();
        AuditEntry orphan = new AuditEntry(2, first.at(), "system", "wardfleet", "test.orphan", "orphan", "SUCCESS",
                java.util.Map.of(), "r", "local", first.hash(), null);
        orphan = new AuditEntry(2, orphan.at(), orphan.actorType(), orphan.actorId(), orphan.action(),
                orphan.target(), orphan.outcome(), orphan.details(), orphan.requestId(), orphan.sourceAddress(),
                orphan.prevHash(), AuditChain.hash(orphan));
        repository.insertAll(org, List.of(orphan)).block();

        restarted(repository).record(event(org, "third")).block();
        assertThat(repository.entry(org, 2).block().target()).isEqualTo("orphan");
        assertThat(repository.entry(org, 3).block().target()).isEqualTo("third");
        assertThat(verifier.verify(org).block().valid()).isTrue();
    }

    private ChainedAuditLog restarted(AuditRepository storage) {
        return new ChainedAuditLog(storage, clock, new SimpleMeterRegistry());
    }

    private static AuditEvent event(String org, String target) {
        return AuditEvent.of(org, Actor.system(), "test.append", target, Outcome.SUCCESS);
    }
}
