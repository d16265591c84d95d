package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.messaging.PageState;
import org.wardfleet.messaging.Paging;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.OnCallProblems;
import org.wardfleet.platform.web.ProblemException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What happens when one escalation step comes due (called by {@link EscalationJob} with the step claimed): each step's
 * targets are resolved when the step fires (a role gives whoever is on call at that moment); every decision reads the
 * recipients' receipts, never "push sent". Acknowledged: the page stops. Otherwise the next step's people get the
 * page, or — past the last step — the page is FAILED, which tells the sender, the role's owners and the operators at
 * once and raises a security event. Every state change goes through {@link PageStore}, fenced by the claimed step.
 */
@Component
class EscalationSteps {

    private final PageStore store;
    private final Coverage coverage;
    private final OnCallStore roles;
    private final Paging paging;
    private final SecurityEvents events;
    private final AuditLog audit;
    private final Clock clock;
    private final List<String> operators;
    private final Duration realertStat;
    private final Duration realertUrgent;

    EscalationSteps(PageStore store, Coverage coverage, OnCallStore roles, Paging paging, SecurityEvents events,
            AuditLog audit, Clock clock,
            @Value("${wardfleet.oncall.operators:}") List<String> operators,
            @Value("${wardfleet.oncall.realert-stat:2m}") Duration realertStat,
            @Value("${wardfleet.oncall.realert-urgent:2m}") Duration realertUrgent) {
        this.store = store;
        this.coverage = coverage;
        this.roles = roles;
        this.paging = paging;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
        this.operators = operators.stream().filter(o -> !o.isBlank()).toList();
        this.realertStat = realertStat;
        this.realertUrgent = realertUrgent;
    }

    /** When a page of {@code priority} sent or re-alerted at {@code now} is re-alerted next; null: never. */
    Instant realertAt(Priority priority, Instant now) {
        return priority == Priority.STAT ? now.plus(realertStat)
                : priority == Priority.URGENT ? now.plus(realertUrgent)
                : null;
    }

    /** Users for targets at {@code at}: user ids as they are, roles as whoever is on call then, groups expanded. */
    Mono<List<String>> resolve(String orgId, List<Recipient> targets, Instant at) {
        return Flux.fromIterable(targets)
                .concatMap(t -> users(orgId, t, at))
                .collect(LinkedHashSet<String>::new, LinkedHashSet::addAll)
                .map(List::copyOf);
    }

    private Mono<List<String>> users(String orgId, Recipient t, Instant at) {
        if (t instanceof Recipient.OnCallRole) {
            return coverage.onCall(orgId, t.id(), at);
        }
        if (t instanceof Recipient.Group) {
            return paging.groupMembers(orgId, t.id());
        }
        return Mono.just(List.of(t.id()));
    }

    /** Re-alerts the page's people unless someone acknowledged it (on any device): then the page stops. */
    Mono<Void> realert(PageStore.Page page, Instant now) {
        return paging.states(page.orgId(), page.id()).defaultIfEmpty(Map.of()).flatMap(states -> {
            String ackBy = acknowledgedBy(states);
            return ackBy != null ? store.acknowledged(page.orgId(), page.id(), ackBy, now).then()
                    : paging.realert(page.orgId(), page.id());
        });
    }

    private static String acknowledgedBy(Map<String, ReceiptState> states) {
        return states.entrySet().stream().filter(e -> e.getValue() == ReceiptState.ACKNOWLEDGED)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /**
     * Fires the step {@code page} was claimed for by {@code owner} (the claim's lease and the step fence make it
     * happen once); returns 1. {@code now} is the engine pass's instant; lateness is measured against the real clock.
     */
    Mono<Integer> fire(PageStore.Page page, String owner, Instant now) {
        // real lateness: when this runs (an injected future "now" in tests counts as on time)
        Instant actual = clock.instant().isAfter(now) ? clock.instant() : now;
        long lateMs = page.nextDueAt() == null ? 0 : Duration.between(page.nextDueAt(), actual).toMillis();
        return paging.states(page.orgId(), page.id()).defaultIfEmpty(Map.of()).flatMap(states -> {
            String ackBy = acknowledgedBy(states);
            if (ackBy != null) {
                return store.acknowledged(page.orgId(), page.id(), ackBy, now).thenReturn(1);
            }
            int nextStep = page.step() + 1;
            int nextRound = page.round();
            if (nextStep >= page.steps().size()) {
                nextStep = 0;
                nextRound++;
            }
            if (nextRound >= page.repeat()) {
                return failed(page, owner, now, lateMs);
            }
            PageStore.Step step = page.steps().get(nextStep);
            int s = nextStep;
            int r = nextRound;
            return reach(page.orgId(), step.targets(), now)
                    .flatMap(reach -> paging.addRecipients(page.orgId(), page.id(), reach.users())
                            .defaultIfEmpty(Paging.Added.NOTHING)
                            .flatMap(added -> paging.realert(page.orgId(), page.id())
                                    .then(store.escalated(page, owner, s, r, now.plusSeconds(step.waitSeconds()),
                                            escalated(now, s, r, reach, added, lateMs)))))
                    .flatMap(done -> audit.record(AuditEvent.of(page.orgId(), Actor.system(), "page.escalate",
                            page.id(), Outcome.SUCCESS).withDetail("step", Integer.toString(s))).thenReturn(1));
        });
    }

    /** A step's people when it fires, and each target that gave nobody, with why. */
    record Reach(List<String> users, List<Map<String, Object>> unresolved) {
    }

    /**
     * Like {@link #resolve}, but a target that gives nobody — a gap in a role's cover, a role whose rota cannot be
     * computed, a group gone or empty — is named on the timeline instead of vanishing or stopping the step.
     */
    private Mono<Reach> reach(String orgId, List<Recipient> targets, Instant at) {
        LinkedHashSet<String> users = new LinkedHashSet<>();
        List<Map<String, Object>> unresolved = new ArrayList<>();
        return Flux.fromIterable(targets)
                .concatMap(t -> users(orgId, t, at)
                        .onErrorResume(e -> e instanceof ProblemException p
                                && p.problemType() == OnCallProblems.ROTA_UNUSABLE, e -> {
                                    unresolved.add(Map.of(t.type() + "Id", t.id(), "reason",
                                            "its rota cannot be computed"));
                                    return Mono.empty();
                                })
                        .doOnNext(list -> {
                            if (list.isEmpty()) {
                                unresolved.add(Map.of(t.type() + "Id", t.id(), "reason", t instanceof Recipient.OnCallRole
                                        ? "nobody on call (a gap in cover)" : "no such group, or no members"));
                            }
                            users.addAll(list);
                        }))
                .then(Mono.fromSupplier(() -> new Reach(List.copyOf(users), List.copyOf(unresolved))));
    }

    /**
     * The ESCALATED event says exactly who this step reached: {@code recipients} (newly {@code added}, and those who
     * already had the page and were alerted again) and who it did not, under {@code skipped}, with why.
     */
    private static Map<String, Object> escalated(Instant now, int step, int round, Reach reach, Paging.Added added,
            long lateMs) {
        List<String> reached = new ArrayList<>(added.added());
        reached.addAll(added.already());
        List<Map<String, Object>> skipped = new ArrayList<>(reach.unresolved());
        added.skipped().forEach((user, why) -> skipped.add(Map.of("userId", user, "reason", why)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("step", step);
        details.put("round", round);
        details.put("recipients", reached);
        details.put("added", added.added());
        if (!skipped.isEmpty()) {
            details.put("skipped", skipped);
        }
        details.put("lateMs", lateMs);
        details.put("overdue", lateMs > Escalation.OVERDUE.toMillis());
        return Escalation.event(now, PageState.ESCALATED.name(), details);
    }

    private Mono<Integer> failed(PageStore.Page page, String owner, Instant now, long lateMs) {
        return ownersOf(page).flatMap(owners -> {
            List<String> told = new ArrayList<>(new LinkedHashSet<>(owners));
            told.addAll(operators);
            return store.failed(page, owner, Escalation.event(now, PageState.FAILED.name(), Map.of("lateMs", lateMs, "told", told)))
                    .filter(changed -> changed)
                    .flatMap(changed -> events.publish(page.orgId(), "page.failed", page.id(),
                                    Map.of("priority", page.priority().name()))
                            .then(paging.notice(page.orgId(), page.senderId(), withoutSender(told, page.senderId()),
                                    "Page " + page.id() + " FAILED: nobody acknowledged it after every escalation "
                                            + "step. Open it to act.", "page-failed-" + page.id()))
                            .then(audit.record(AuditEvent.of(page.orgId(), Actor.system(), "page.failed", page.id(),
                                    Outcome.FAILURE))))
                    .thenReturn(1);
        });
    }

    private static List<String> withoutSender(List<String> told, String sender) {
        List<String> all = new ArrayList<>(told);
        all.remove(sender);
        return all;
    }

    private Mono<List<String>> ownersOf(PageStore.Page page) {
        return page.to() instanceof Recipient.OnCallRole
                ? roles.role(page.orgId(), page.to().id()).map(OnCallStore.Role::owners).defaultIfEmpty(List.of())
                : Mono.just(List.of());
    }
}
