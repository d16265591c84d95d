package org.wardfleet.audit;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Reading the caller's organisation's audit chain (ADMIN, SECURITY): the API ({@code /api/v1/audit}) and the console
 * both call this, so the role rule and the limits are the same for both.
 */
public interface AuditTrail {

    /** Entries matching {@code search}, newest first, one page; 400 (validation-failed) for a page out of range. */
    Mono<AuditPage> search(Caller caller, AuditSearch search);

    /** Re-walks the whole chain: valid, or the first entry that is missing, edited or mislinked. */
    Mono<ChainVerification> verify(Caller caller);
}
