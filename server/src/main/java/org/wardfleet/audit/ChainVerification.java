package org.wardfleet.audit;

import java.util.List;

/**
 * The result of re-walking an organisation's audit chain.
 *
 * @param firstBrokenSeq the first entry that is missing, edited or mislinked (null when valid)
 * @param reason why the chain breaks there (null when valid)
 * @param headSeq the highest sequence number handed out
 * @param missing how many numbers up to the head have no entry
 * @param gaps the runs of missing numbers (at most 100 listed; all are counted in {@code missing})
 */
public record ChainVerification(boolean valid, long entries, Long firstBrokenSeq, String reason, long headSeq,
        long missing, List<Gap> gaps) {

    /** Sequence numbers {@code from} to {@code to} (inclusive) have no entry. */
    public record Gap(long from, long to, long count) {
    }
}
