package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.PageState;
import org.wardfleet.messaging.Paging;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.OnCallProblems;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * Pages that escalate until someone acknowledges: the triggering side, behind the public API ({@link
 * org.wardfleet.oncall.Pages}, the pages API): the policy (the page's own, its role's, or the default for its
 * priority), the first step's people resolved and paged, and the page record that is its own durable timer. What
 * happens when a step comes due is {@link EscalationSteps} (fire one step), driven by {@link EscalationJob} (the
 * engine's job: due steps, claimed, fired). A step found more than {@link #OVERDUE} late is recorded as overdue.
 */
@Component
class Escalation {

    static final Duration OVERDUE = Duration.ofSeconds(30);
    private final PageStore store;
    private final OnCallStore roles;
    private final Paging paging;
    private final AuditLog audit;
    private final Clock clock;
    private final EscalationDefaults defaults;
    private final EscalationSteps steps;

    Escalation(PageStore store, OnCallStore roles, Paging paging, AuditLog audit, Clock clock,
            EscalationDefaults defaults, EscalationSteps steps) {
        this.defaults = defaults;
        this.store = store;
        this.roles = roles;
        this.paging = paging;
        this.audit = audit;
        this.clock = clock;
        this.steps = steps;
    }

    /** Default policies by priority (configurable): the addressee, repeated; ROUTINE does not escalate. */
    PageStore.Policy defaultPolicy(Recipient to, Priority priority) {
        switch (priority) {
            case STAT:
                return new PageStore.Policy("default-stat", null, "default", defaults.statRepeat(),
                        List.of(new PageStore.Step(List.of(to), (int) defaults.statStep().toSeconds())));
            case URGENT:
                return new PageStore.Policy("default-urgent", null, "default", defaults.urgentRepeat(),
                        List.of(new PageStore.Step(List.of(to), (int) defaults.urgentStep().toSeconds())));
            default:
                return new PageStore.Policy("default-routine", null, "default", 1,
                        List.of(new PageStore.Step(List.of(to), 0)));
        }
    }

    Mono<PageStore.Page> trigger(String orgId, String senderId, Recipient to, String text, Priority priority,
            String policyId, String idempotencyKey) {
        return trigger(orgId, senderId, to, text, priority, policyId, List.of(), idempotencyKey);
    }

    Mono<PageStore.Page> trigger(String orgId, String senderId, Recipient to, String text, Priority priority,
            String policyId, List<String> choices, String idempotencyKey) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return policy(orgId, to, priority, policyId)
                .flatMap(policy -> steps.resolve(orgId, policy.steps().get(0).targets(), now)
                        .flatMap(users -> {
                            if (users.isEmpty()) {
                                return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                                        "Nobody to page: the first step resolves to no one (a gap in cover?)"));
                            }
                            return paging.page(orgId, senderId, users, text, priority, choices,
                                            idempotencyKey)
                                    .flatMap(id -> record(id, orgId, senderId, to, priority, policy, users, now));
                        }))
                .flatMap(p -> audit.record(AuditEvent.of(orgId, Actor.user(senderId), "page.trigger", p.id(),
                        Outcome.SUCCESS).withDetail("priority", priority.name())).thenReturn(p));
    }

    /**
     * The page record of message {@code id}, sent to {@code users} at {@code now}; the record already there when a
     * retried trigger or a recovery ({@link PageIntents}) gets here again.
     */
    Mono<PageStore.Page> record(String id, String orgId, String senderId, Recipient to, Priority priority,
            PageStore.Policy policy, List<String> users, Instant now) {
        return store.insert(new PageStore.Page(id, orgId, senderId, priority, to, policy.steps(),
                Math.max(1, policy.repeat()), 0, 0, PageState.TRIGGERED,
                escalates(priority) ? now.plusSeconds(policy.steps().get(0).waitSeconds()) : null,
                steps.realertAt(priority, now), null, null,
                List.of(event(now, PageState.TRIGGERED.name(), Map.of("step", 0, "recipients", users))), now));
    }

    private static boolean escalates(Priority priority) {
        return priority != Priority.ROUTINE;
    }

    Mono<PageStore.Policy> policy(String orgId, Recipient to, Priority priority, String policyId) {
        if (policyId != null) {
            return store.policy(orgId, policyId).switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception(
                    "No escalation policy %s", policyId)));
        }
        if (to instanceof Recipient.OnCallRole) {
            return roles.role(orgId, to.id())
                    .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No on-call role %s", to.id())))
                    .flatMap(role -> role.escalationPolicyId() == null ? Mono.just(defaultPolicy(to, priority))
                            : store.policy(orgId, role.escalationPolicyId()).switchIfEmpty(Mono.error(() ->
                                    OnCallProblems.PAGE_UNROUTABLE.exception("On-call role %s names escalation "
                                            + "policy %s, which does not exist in your organisation: set the role's "
                                            + "policy again", role.id(), role.escalationPolicyId()))));
        }
        return Mono.just(defaultPolicy(to, priority));
    }

    static Map<String, Object> event(Instant at, String name, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", at.toString());
        e.put("event", name);
        e.putAll(details);
        return e;
    }
}
