package org.wardfleet.messaging;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Sending pages and notices, for escalation, page recovery and gap notices: a page is a message that requires
 * acknowledgement.
 */
public interface PageSending {

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

    /** Wakes again the devices of every recipient who has not acknowledged. */
    Mono<Void> realert(String orgId, String messageId);

    /**
     * A notice to people (e.g. "nobody acknowledged", "a gap in cover"), sent as {@code senderId} — or as Wardfleet
     * itself when {@code senderId} is null; idempotent per key.
     */
    Mono<Void> notice(String orgId, String senderId, List<String> userIds, String text, String idempotencyKey);
}
