package org.wardfleet.audit;

import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Records security-relevant actions. The request id and source address come from the request's Reactor context.
 * Completes only after the entry is durably chained: a caller that cannot audit fails rather than acts unrecorded.
 * <p>
 * Where the action is a service call, audit it with a wrapper rather than a {@code record} line inside the service
 * (NanoMDM's {@code service/certauth} model): the feature's interface is implemented by the service that acts and by
 * an {@code Audited…} wrapper that delegates and then records with {@link #after} — see {@code docs/architecture.md},
 * "Audit".
 */
public interface AuditLog {

    Mono<Void> record(AuditEvent event);

    /**
     * Runs {@code action}, then records the entry made from its result, and completes with that result only once the
     * entry is chained: the caller's answer waits for both, and an entry that cannot be written fails the call
     * ({@code 503 audit-unavailable}) exactly as a {@code record} inside the action did. An action that completes
     * empty, or an entry function that answers {@code null} (nothing worth recording, e.g. nothing changed), records
     * nothing.
     */
    default <T> Mono<T> after(Mono<T> action, Function<? super T, AuditEvent> entry) {
        return action.flatMap(result -> {
            AuditEvent event = entry.apply(result);
            return event == null ? Mono.just(result) : record(event).thenReturn(result);
        });
    }

    /** As {@link #after(Mono, Function)} for an action without a result: the entry is recorded once it completes. */
    default Mono<Void> afterCompletion(Mono<Void> action, Supplier<AuditEvent> entry) {
        return action.then(Mono.defer(() -> record(entry.get())));
    }
}
