package org.wardfleet.wctp.internal;

import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * {@link UserContactRules} audited: a user's rules set are recorded once stored, and the answer waits for the entry
 * ({@link AuditLog#after}). Reads pass through.
 */
@Primary
@Component
class AuditedUserContactRules implements UserContactRules {

    private final UserContactRules rules;
    private final AuditLog audit;

    @Autowired
    AuditedUserContactRules(ContactRulesDesk desk, AuditLog audit) {
        this((UserContactRules) desk, audit);
    }

    AuditedUserContactRules(UserContactRules rules, AuditLog audit) {
        this.rules = rules;
        this.audit = audit;
    }

    @Override
    public Mono<ContactRules.Rule> set(Caller caller, String userId, String pager,
            Map<String, Integer> fallbackAfterSeconds) {
        return audit.after(rules.set(caller, userId, pager, fallbackAfterSeconds), r -> AuditEvent.of(caller.orgId(),
                Actor.user(caller.userId()), "user.contact-rules", userId, Outcome.SUCCESS));
    }

    @Override
    public Mono<ContactRules.Rule> find(Caller caller, String userId) {
        return rules.find(caller, userId);
    }
}
