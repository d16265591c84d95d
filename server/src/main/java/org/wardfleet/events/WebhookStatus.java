package org.wardfleet.events;

import java.time.Instant;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/** The security-event webhook as an organisation's administrators see it (ADMIN, SECURITY); never its secret. */
public interface WebhookStatus {

    Mono<Webhook> status(Caller caller);

    /**
     * @param target where events go, scheme, host and port only (a path may carry a token); null when none
     * @param pending this organisation's events still to deliver (including those waiting for another attempt)
     * @param failed events given up on after every attempt
     * @param lastError the last attempt's failure (an exception name), if the last delivery attempt failed
     */
    record Webhook(boolean configured, String target, long pending, long failed, Instant lastDeliveredAt,
            String lastError) {
    }
}
