package org.wardfleet.messaging;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/** What escalation needs from messaging: a page is a message that requires acknowledgement. */
public interface Paging {

    /**
     * Sends a page (a new conversation with the recipients); idempotent per sender and key. Returns its id. The sender
     * is a recipient like anyone else when named among {@code recipients} (an on-call doctor paging the role they
     * cover gets it on their own phone); every recipient must be an active user.
     */
    default Mono<String> page(String orgId, String senderId, List<String> recipients, String text, Priority priority,
            String idempotencyKey) {
        return page(orgId, senderId, recipients, text, priority, List.of(), idempotencyKey);
    }

    /** A page offering answer choices (e.g. a WCTP MCR: "Accept", "Reject"); a receipt may carry one of them. */
    Mono<String> page(String orgId, String senderId, List<String> recipients, String text, Priority priority,
            List<String> choices, String idempotencyKey);

    /**
     * A message sent under an idempotency key, as recovery needs it.
     *
     * @param recipients who it was addressed to (escalation may have added more since)
     * @param complete false while the attempt that sent it may still be fanning it out to devices (try again later)
     */
    record Sent(String id, java.time.Instant sentAt, List<String> recipients, boolean complete) {
    }

    /**
     * Finishes what a page or broadcast sender that stopped half-way (a crash) left undone: the message sent under
     * this key, with its fan-out to devices (delivery records, inboxes, wake-ups, its audit entry) completed first when
     * the attempt that began it was interrupted and its lease has run out. Empty when no message has this key: then
     * nothing was sent and nobody was paged.
     */
    Mono<Sent> resume(String orgId, String senderId, String idempotencyKey);

    /** One recipient's receipt: state, when it was reached, and the answer chosen (null when none). */
    record Receipt(String userId, ReceiptState state, java.time.Instant at, String choice) {
    }

    /** Every recipient's receipt, in the order they were addressed; empty when there is no such message. */
    Mono<List<Receipt>> recipientReceipts(String orgId, String messageId);

    /**
     * What adding recipients did, person by person, so that a page's timeline names exactly who was reached:
     * {@code added} now have the page (its sender too, when a step names them), {@code already} had it (they are
     * re-alerted, not added twice), {@code skipped} were left out, with why (e.g. "not an active user").
     */
    record Added(List<String> added, List<String> already, Map<String, String> skipped) {

        public static final Added NOTHING = new Added(List.of(), List.of(), Map.of());
    }

    /**
     * Escalation: the page also goes to these users. Already-addressed users are left as they are; a user who is not
     * active in the organisation is skipped; empty when there is no such message.
     */
    Mono<Added> addRecipients(String orgId, String messageId, List<String> userIds);

    /** Recipient user id → their receipt state. */
    Mono<Map<String, ReceiptState>> states(String orgId, String messageId);

    /** Recipient user id → [state, ISO instant it was reached]: what the page timeline shows per recipient. */
    Mono<Map<String, List<String>>> receipts(String orgId, String messageId);

    /** Wakes again the devices of every recipient who has not acknowledged. */
    Mono<Void> realert(String orgId, String messageId);

    /** The user acknowledges (from a desktop or an API client). */
    Mono<Void> acknowledge(String orgId, String messageId, String userId);

    /**
     * A broadcast (code blue, major incident, IT outage, drill) to many people at once: one message, one batched
     * fan-out; {@code choices} are the answers offered ("available", "not available"). Returns its id.
     */
    Mono<String> broadcast(String orgId, String senderId, List<String> userIds, String text, Priority priority,
            List<String> choices, boolean drill, String idempotencyKey);

    /** The live roll-up of a broadcast for its sender or a recipient (e.g. the incident lead); empty otherwise. */
    Mono<Rollup> rollup(String orgId, String messageId, String askingUserId);

    record Rollup(int recipients, int delivered, int read, int acknowledged, Map<String, Integer> choices,
            List<String> pending, boolean drill) {
    }

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
    reactor.core.publisher.Flux<OpenRecipient> openRecipients(java.time.Instant sentAfter);

    /** The members of a messaging group (a named list of users), by id or name; empty when unknown. */
    Mono<List<String>> groupMembers(String orgId, String group);

    /**
     * A notice to people (e.g. "nobody acknowledged", "a gap in cover"), sent as {@code senderId} — or as Wardfleet
     * itself when {@code senderId} is null; idempotent per key.
     */
    Mono<Void> notice(String orgId, String senderId, List<String> userIds, String text, String idempotencyKey);
}
