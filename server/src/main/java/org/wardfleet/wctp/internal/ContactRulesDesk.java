package org.wardfleet.wctp.internal;

import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.Priority;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** {@link UserContactRules} over {@link ContactRules}: the caller's right, then the timings, then the user checked. */
@Component
class ContactRulesDesk implements UserContactRules {

    private final ContactRules rules;
    private final UserDirectory users;

    ContactRulesDesk(ContactRules rules, UserDirectory users) {
        this.rules = rules;
        this.users = users;
    }

    @Override
    public Mono<ContactRules.Rule> set(Caller caller, String userId, String pager,
            Map<String, Integer> fallbackAfterSeconds) {
        if (!allowed(caller, userId)) {
            return forbidden();
        }
        Map<String, Integer> after = fallbackAfterSeconds == null ? Map.of() : fallbackAfterSeconds;
        for (Map.Entry<String, Integer> e : after.entrySet()) {
            // the pager fallback follows only the priorities that alert (STAT, URGENT)
            if (!Priority.known(e.getKey()) || !Priority.valueOf(e.getKey()).alerts() || e.getValue() == null
                    || e.getValue() < 0
                    || e.getValue() > 3600) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                        "fallbackAfterSeconds: STAT and URGENT, 0 to 3600 seconds"));
            }
        }
        return users.find(caller.orgId(), userId)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No user %s", userId)))
                .flatMap(u -> rules.save(new ContactRules.Rule(userId, caller.orgId(), pager, after)));
    }

    @Override
    public Mono<ContactRules.Rule> find(Caller caller, String userId) {
        if (!allowed(caller, userId)) {
            return forbidden();
        }
        return rules.find(caller.orgId(), userId)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No contact rules for %s", userId)));
    }

    private static boolean allowed(Caller caller, String userId) {
        return caller.has(Role.ADMIN) || caller.userId().equals(userId);
    }

    private static <T> Mono<T> forbidden() {
        return Mono.error(ProblemType.FORBIDDEN.exception("Only ADMIN or the user themself"));
    }
}
