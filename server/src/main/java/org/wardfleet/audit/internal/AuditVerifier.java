package org.wardfleet.audit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.audit.ChainVerification;

import reactor.core.publisher.Mono;

/**
 * Re-walks an organisation's chain: sequence numbers must run 1, 2, 3, ... up to the head with no gap, each entry
 * must name its predecessor's hash, and each stored hash must match the recomputed one. The head moves only after
 * entries are written, so missing numbers — in the middle or after the last stored entry — are entries that were lost
 * after they were written, and the walk reports where and how many. It goes on past a break, so every gap is counted.
 */
@Component
class AuditVerifier {

    /** At most this many gaps are listed (all are counted in {@code missing}). */
    static final int MAX_GAPS_LISTED = 100;
    /** An append on another instance may be caught half done: look again once before reporting a gap. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final AuditRepository repository;
    private final ChainedAuditLog log;

    AuditVerifier(AuditRepository repository, ChainedAuditLog log) {
        this.repository = repository;
        this.log = log;
    }

    Mono<ChainVerification> verify(String orgId) {
        // the head first, then this instance's batch in flight: every number up to the head is then written or lost
        return repository.head(orgId)
                .flatMap(head -> log.settled(orgId).then(walk(orgId, head))
                        .flatMap(first -> first.missing() == 0 ? Mono.just(first)
                                : Mono.delay(RECHECK).then(walk(orgId, head))));
    }

    private Mono<ChainVerification> walk(String orgId, AuditRepository.Head head) {
        return repository.chain(orgId)
                .reduceWith(Walk::new, Walk::next)
                .map(walk -> walk.finish(head));
    }

    /** The fold state: entries seen, the last one, the first break found and the gaps. */
    private static final class Walk {
        private long seen;
        private long lastSeq;
        private String lastHash = AuditChain.GENESIS;
        private Long brokenAt;
        private String reason;
        private long missing;
        private final List<ChainVerification.Gap> gaps = new ArrayList<>();

        Walk next(AuditEntry entry) {
            seen++;
            long expected = lastSeq + 1;
            if (entry.seq() > expected) {
                gap(expected, entry.seq() - 1);
                // its predecessor is gone: the link cannot be checked, the entry itself still can
            } else if (!entry.prevHash().equals(lastHash)) {
                broken(entry.seq(), "previous-hash link does not match");
            }
            if (!AuditChain.hash(entry).equals(entry.hash())) {
                broken(entry.seq(), "entry content does not match its hash");
            }
            lastSeq = entry.seq();
            lastHash = entry.hash();
            return this;
        }

        ChainVerification finish(AuditRepository.Head head) {
            if (head.seq() > lastSeq) {
                gap(lastSeq + 1, head.seq());
            }
            return new ChainVerification(brokenAt == null, seen, brokenAt, reason, Math.max(head.seq(), lastSeq),
                    missing, List.copyOf(gaps));
        }

        private void gap(long from, long to) {
            long count = to - from + 1;
            missing += count;
            if (gaps.size() < MAX_GAPS_LISTED) {
                gaps.add(new ChainVerification.Gap(from, to, count));
            }
            broken(from, count == 1 ? "entry " + from + " is missing"
                    : "entries " + from + " to " + to + " are missing (" + count + ")");
        }

        private void broken(long seq, String why) {
            if (brokenAt == null) {
                brokenAt = seq;
                reason = why;
            }
        }
    }
}
