package org.wardfleet.oncall;

import java.util.List;
import java.util.Map;

import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;

import reactor.core.publisher.Mono;

/** Triggers pages for other features (hospital systems over WCTP): escalation included. */
public interface Pages {

    /**
     * @param senderId a user id, or null for a page from an external system (sent as Wardfleet)
     * @param to a {@link Recipient.User}, {@link Recipient.OnCallRole} or {@link Recipient.Group}
     * @return the page id (its message id)
     */
    default Mono<String> page(String orgId, String senderId, Recipient to, String text, Priority priority,
            String idempotencyKey) {
        return page(orgId, senderId, to, text, priority, List.of(), idempotencyKey);
    }

    /** A page offering answer choices (a WCTP MCR: "Accept", "Reject"); devices answer with one of them. */
    Mono<String> page(String orgId, String senderId, Recipient to, String text, Priority priority,
            List<String> choices, String idempotencyKey);

    /** Adds an event to a page's timeline (e.g. "sent to pager 1234"); nothing when the id is not a page. */
    Mono<Void> note(String orgId, String pageId, Map<String, Object> event);

    /** An on-call role's id by its name, within the organisation. */
    Mono<String> roleIdByName(String orgId, String name);
}
