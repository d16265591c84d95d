package org.wardfleet.audit.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEntry;

import reactor.core.publisher.Mono;

/**
 * Re-walks an organisation's chain: sequence numbers must run 1, 2, 3, ... with no gap, each entry must name its
 * predecessor's hash, and each stored hash must match the recomputed one. The head record also catches a deleted tail.
 */
@Component
class AuditVerifier {

    private final AuditRepository repository;

    AuditVerifier(AuditRepository repository) {
        this.repository = repository;
    }

    record Verification(boolean valid, long entries, Long firstBrokenSeq, String reason) {
    }

    Mono<Verification> verify(String orgId) {
        return repository.chain(orgId)
                .reduce(new Walk(0, AuditChain.GENESIS, null, null), Walk::next)
                .flatMap(walk -> repository.head(orgId).map(head -> walk.finish(head)));
    }

    /** The fold state: entries seen, the hash the next entry must name, and the first break found. */
    private record Walk(long seen, String expectedPrev, Long brokenAt, String reason) {

        Walk next(AuditEntry entry) {
            long expectedSeq = seen + 1;
            if (brokenAt != null) {
                return new Walk(seen + 1, entry.hash(), brokenAt, reason);
            }
            if (entry.seq() != expectedSeq) {
                return new Walk(seen + 1, entry.hash(), expectedSeq, "entry " + expectedSeq + " is missing");
            }
            if (!entry.prevHash().equals(expectedPrev)) {
                return new Walk(seen + 1, entry.hash(), entry.seq(), "previous-hash link does not match");
            }
            if (!AuditChain.hash(entry).equals(entry.hash())) {
                return new Walk(seen + 1, entry.hash(), entry.seq(), "entry content does not match its hash");
            }
            return new Walk(seen + 1, entry.hash(), null, null);
        }

        Verification finish(AuditRepository.Head head) {
            if (brokenAt == null && head.seq() > seen) {
                return new Verification(false, seen, seen + 1, "entries after " + seen + " are missing");
            }
            return new Verification(brokenAt == null, seen, brokenAt, reason);
        }
    }
}
