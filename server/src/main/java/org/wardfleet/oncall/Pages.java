package org.wardfleet.oncall;

import reactor.core.publisher.Mono;

/** Triggers pages for other features (hospital systems over WCTP): escalation included. */
public interface Pages {

    /**
     * @param senderId a user id, or null for a page from an external system (sent as Wardfleet)
     * @param targetType {@code user}, {@code role} or {@code group}
     * @return the page id (its message id)
     */
    Mono<String> page(String orgId, String senderId, String targetType, String targetId, String text,
            String priority, String idempotencyKey);

    /** An on-call role's id by its name, within the organisation. */
    Mono<String> roleIdByName(String orgId, String name);
}
