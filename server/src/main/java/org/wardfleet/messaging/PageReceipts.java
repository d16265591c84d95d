package org.wardfleet.messaging;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What recipients did with a page, for page history, acknowledgements, the pager fallback and WCTP status: their
 * receipts, and acknowledging on their behalf from a desktop.
 */
public interface PageReceipts {

    /** One recipient's receipt: state, when it was reached, and the answer chosen (null when none). */
    record Receipt(String userId, ReceiptState state, java.time.Instant at, String choice) {
    }

    /** Every recipient's receipt, in the order they were addressed; empty when there is no such message. */
    Mono<List<Receipt>> recipientReceipts(String orgId, String messageId);

    /** Recipient user id → their receipt state. */
    Mono<Map<String, ReceiptState>> states(String orgId, String messageId);

    /** Recipient user id → [state, ISO instant it was reached]: what the page timeline shows per recipient. */
    Mono<Map<String, List<String>>> receipts(String orgId, String messageId);

    /** The user acknowledges (from a desktop or an API client). */
    Mono<Void> acknowledge(String orgId, String messageId, String userId);

    /**
     * A recipient of an URGENT or STAT page who has not answered it yet: {@code state} is SENT (no device of theirs
     * has it), DELIVERED or READ.
     */
    record OpenRecipient(String orgId, String messageId, String userId, Priority priority, java.time.Instant sentAt,
            ReceiptState state) {

        /** No device of theirs has proved it has the page. */
        public boolean undelivered() {
            return state == ReceiptState.SENT;
        }
    }

    /**
     * Every recipient not yet ACKNOWLEDGED or DECLINED of unrecalled URGENT/STAT pages and broadcasts sent after
     * {@code sentAfter} (drills excluded: they never leave the app).
     */
    Flux<OpenRecipient> openRecipients(java.time.Instant sentAfter);
}
