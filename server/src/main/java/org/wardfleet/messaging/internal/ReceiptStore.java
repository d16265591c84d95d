package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.wardfleet.messaging.ReceiptState;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recipients' receipts of one message: DELIVERED in bursts (a broadcast landing), answers group-committed. Each write
 * moves a recipient only where {@link ReceiptState#canMoveTo} allows, and only if nobody wrote in between.
 */
interface ReceiptStore {

    /** One recipient moving forward to {@code state} (an answer: READ, ACKNOWLEDGED with a choice, DECLINED...). */
    record Move(String userId, ReceiptState state, String reason, String choice, Instant at) {
    }

    /** The message as written, and for each move (in order) whether it happened. */
    record Moved(Message message, List<Boolean> moved) {
    }

    /** Many recipients reached DELIVERED; returns the users who moved (none once the message is recalled). */
    Mono<Set<String>> deliveredMany(String orgId, String messageId, Map<String, Instant> users);

    /** Folds a message's DELIVERED receipts into its document; returns the folded receipts' ids. */
    Mono<List<String>> fold(String orgId, String messageId);

    /** Deletes folded receipts (by id); returns how many. */
    Mono<Long> forgetReceipts(String orgId, List<String> ids);

    /** Moves recipients of one message forward in one write; empty when there is no such message. */
    Mono<Moved> advanceMany(String orgId, String messageId, List<Move> moves);

    /** The messages with their DELIVERED receipts applied (a recipient still SENT who has one is DELIVERED). */
    Flux<Message> withReceipts(Flux<Message> found);

    Mono<Message> withReceipts(Mono<Message> found);
}
