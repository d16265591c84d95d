package org.wardfleet.wctp.internal;

import java.util.Map;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * A user's contact rules as the API ({@link ContactRulesController}) reads and sets them: {@code ADMIN} or the user
 * themself; a change is audited by {@link AuditedUserContactRules}. Stored by {@link ContactRules}.
 */
interface UserContactRules {

    /**
     * The user's fallback pager and how long the app gets first, by priority word ({@code STAT}, {@code URGENT}: 0 to
     * 3600 seconds; null: the defaults); answers the stored rule.
     */
    Mono<ContactRules.Rule> set(Caller caller, String userId, String pager, Map<String, Integer> fallbackAfterSeconds);

    /** The user's rule; 404 when none was set. */
    Mono<ContactRules.Rule> find(Caller caller, String userId);
}
