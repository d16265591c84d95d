package org.wardfleet.oncall.internal;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Writing a role's overrides and leave, for the API ({@link CoverController}) and the console (through
 * {@link RoleSchedules}) alike, with the same rules ({@link CoverRules}); audited by {@link AuditedCovers}.
 */
interface Covers {

    /** An override or leave ({@code kind}): ADMIN or the role's owners (or a person for their own leave). */
    Mono<OnCallStore.StoredCover> add(Caller caller, String roleId, String kind, String userId, String from,
            String to);

    /** Another person or other times; it then counts as the newest decision. Answers the stored cover. */
    Mono<OnCallStore.StoredCover> change(Caller caller, String roleId, String coverId, String userId, String from,
            String to);

    /** Answers the cover deleted. */
    Mono<OnCallStore.StoredCover> delete(Caller caller, String roleId, String coverId);
}
