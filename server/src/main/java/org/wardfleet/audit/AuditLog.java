package org.wardfleet.audit;

import reactor.core.publisher.Mono;

/**
 * Records security-relevant actions. The request id and source address come from the request's Reactor context.
 * Completes only after the entry is durably chained: a caller that cannot audit fails rather than acts unrecorded.
 */
public interface AuditLog {

    Mono<Void> record(AuditEvent event);
}
