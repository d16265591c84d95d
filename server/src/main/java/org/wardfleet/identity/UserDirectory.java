package org.wardfleet.identity;

import reactor.core.publisher.Mono;

/** Looks up users of one organisation; other features use it to check the people they address exist. */
public interface UserDirectory {

    /** The user, if it exists in {@code orgId} (a user of another organisation is simply not found). */
    Mono<UserSummary> find(String orgId, String userId);

    /** Every active (not disabled) user of the organisation: a broadcast to everybody. */
    reactor.core.publisher.Flux<String> activeUserIds(String orgId);

    /** By email (case-insensitive), within {@code orgId}. */
    Mono<UserSummary> findByEmail(String orgId, String email);

    /**
     * Users of {@code orgId} whose display name or email contains {@code text} (case-insensitive), at most
     * {@code limit} of them, by email: a search box naming people ("devices of Dr Jones").
     */
    reactor.core.publisher.Flux<UserSummary> matching(String orgId, String text, int limit);

    /**
     * The display names of these users of {@code orgId} (their email when they have none), by id, in one read: what
     * timelines, roll-ups and lists show next to ids. Ids of no user of the organisation are left out.
     */
    Mono<java.util.Map<String, String>> displayNames(String orgId, java.util.Collection<String> userIds);
}
