package org.wardfleet.push;

import java.util.Collection;

import org.springframework.http.HttpStatus;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * A system notification in the browsers where people turned notifications on in the clinician app (Web Push: RFC 8030,
 * 8291, 8292), for when the app's tab is in the background or closed. Like FCM it only tells: the payload is a
 * priority, "Open Wardfleet" and an id — never text or sender — and "sent" proves nothing; receipts do.
 */
public interface WebPush {

    ProblemType SUBSCRIPTION_INVALID = new ProblemType("web-push-subscription-invalid", HttpStatus.BAD_REQUEST,
            "Web Push subscription invalid");
    ProblemType SUBSCRIPTION_LIMIT = new ProblemType("web-push-subscription-limit", HttpStatus.CONFLICT,
            "Too many Web Push subscriptions");

    /**
     * Notifies every browser subscribed by these people (in this organisation). Never fails: a push service that
     * refuses or cannot be reached is logged; subscriptions it calls gone are deleted.
     *
     * @param priority the message's priority word (STAT gets {@code Urgency: high})
     * @return how many push services accepted a message
     */
    Mono<Integer> notify(String orgId, Collection<String> userIds, String priority, String messageId);
}
