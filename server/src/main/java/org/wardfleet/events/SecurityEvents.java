package org.wardfleet.events;

import java.util.Map;

import reactor.core.publisher.Mono;

/** Publishes a security event. {@code details} are short non-secret values: never PHI, tokens or message text. */
public interface SecurityEvents {

    /**
     * @param type e.g. {@code device.rooted}, {@code attestation.invalid}, {@code attestation.nonce-replayed},
     *        {@code device.retired-credential-used}, {@code compliance.burst}, {@code compliance.escalated}
     * @param subject usually a device id
     */
    Mono<Void> publish(String orgId, String type, String subject, Map<String, Object> details);

    /** How many events of {@code type} this organisation had since {@code since} (burst rules). */
    Mono<Long> count(String orgId, String type, java.time.Instant since);
}
