package org.wardfleet.events;

import java.time.Duration;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Flux;

/**
 * Reading the caller's organisation's security events (ADMIN, SECURITY): {@code GET /api/v1/events} and the console's
 * live feed both use this.
 */
public interface SecurityEventFeed {

    /**
     * The events of the last {@code within} (at most a day), oldest first, then each new one as it is published on
     * any instance; never completes by itself.
     */
    Flux<SecurityEvent> follow(Caller caller, Duration within);

    /** The newest events of the last {@code within} (at most a day), newest first, at most {@code limit} (1..200). */
    Flux<SecurityEvent> recent(Caller caller, Duration within, int limit);
}
