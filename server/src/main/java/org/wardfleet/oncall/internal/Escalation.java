package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.conversions.Bson;
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
import org.wardfleet.platform.web.ProblemType;

import com.mongodb.client.model.Updates;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pages that escalate until someone acknowledges. Each step's targets are resolved when the step fires (a role gives
 * whoever is on call at that moment); every decision reads the recipients' receipts, never "push sent". The last step
 * passing unacknowledged makes the page FAILED, which tells the sender, the role's owners and the operators at once
 * and raises a security event. Every instance ticks every {@code wardfleet.oncall.tick} (1 s); steps are claimed with
 * a lease and fenced by step, so each fires once; a step found more than 30 s late is recorded as overdue.
 */
@Component
class Escalation extends org.wardfleet.platform.time.PeriodicTask {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration OVERDUE = Duration.ofSeconds(30);
    final String instanceId = UUID.randomUUID().toString();
    private final PageStore store;
    private final Coverage coverage;
    private final OnCallStore roles;
    private final Paging paging;
    private final SecurityEvents events;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration tick;
    private final List<String> operators;
    private final Duration realertStat;
    private final Duration realertUrgent;
    private final EscalationDefaults defaults;

    Escalation(PageStore store, Coverage coverage, OnCallStore roles, Paging paging, SecurityEvents events,
            AuditLog audit, Clock clock,
            @Value("${wardfleet.oncall.tick:1s}") Duration tick,
            @Value("${wardfleet.oncall.operators:}") List<String> operators,
            @Value("${wardfleet.oncall.realert-stat:2m}") Duration realertStat,
            @Value("${wardfleet.oncall.realert-urgent:2m}") Duration realertUrgent, EscalationDefaults defaults) {
        this.defaults = defaults;
        this.store = store;
        this.coverage = coverage;
        this.roles = roles;
        this.paging = paging;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
        this.tick = tick;
        this.operators = operators.stream().filter(o -> !o.isBlank()).toList();
        this.realertStat = realertStat;
        this.realertUrgent = realertUrgent;
    }

    /** Default policies by priority (configurable): the addressee, repeated; ROUTINE does not escalate. */
    PageStore.Policy defaultPolicy(PageStore.Target to, String priority) {
        switch (Priority.stored(priority)) {
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

    Mono<PageStore.Page> trigger(String orgId, String senderId, PageStore.Target to, String text, String priority,
            String policyId, String idempotencyKey) {
        return trigger(orgId, senderId, to, text, priority, policyId, List.of(), idempotencyKey);
    }

    Mono<PageStore.Page> trigger(String orgId, String senderId, PageStore.Target to, String text, String priority,
            String policyId, List<String> choices, String idempotencyKey) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return policy(orgId, to, priority, policyId)
                .flatMap(policy -> resolve(orgId, policy.steps().get(0).targets(), now)
                        .flatMap(users -> {
                            if (users.isEmpty()) {
                                return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                                        "Nobody to page: the first step resolves to no one (a gap in cover?)"));
                            }
                            return paging.page(orgId, senderId, users, text, Priority.stored(priority), choices,
                                            idempotencyKey)
                                    .flatMap(id -> record(id, orgId, senderId, to, priority, policy, users, now));
                        }))
                .flatMap(p -> audit.record(AuditEvent.of(orgId, Actor.user(senderId), "page.trigger", p.id(),
                        Outcome.SUCCESS).withDetail("priority", priority)).thenReturn(p));
    }

    /**
     * The page record of message {@code id}, sent to {@code users} at {@code now}; the record already there when a
     * retried trigger or a recovery ({@link PageIntents}) gets here again.
     */
    Mono<PageStore.Page> record(String id, String orgId, String senderId, PageStore.Target to, String priority,
            PageStore.Policy policy, List<String> users, Instant now) {
        return store.insert(new PageStore.Page(id, orgId, senderId, priority, to, policy.steps(),
                Math.max(1, policy.repeat()), 0, 0, PageState.TRIGGERED.name(),
                escalates(priority) ? now.plusSeconds(policy.steps().get(0).waitSeconds()) : null,
                realertAt(priority, now), null, null,
                List.of(event(now, PageState.TRIGGERED.name(), Map.of("step", 0, "recipients", users))), now));
    }

    private static boolean escalates(String priority) {
        return Priority.stored(priority) != Priority.ROUTINE;
    }

    private Instant realertAt(String priority, Instant now) {
        return Priority.stored(priority) == Priority.STAT ? now.plus(realertStat)
                : Priority.stored(priority) == Priority.URGENT ? now.plus(realertUrgent)
                : null;
    }

    Mono<PageStore.Policy> policy(String orgId, PageStore.Target to, String priority, String policyId) {
        if (policyId != null) {
            return store.policy(orgId, policyId).switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception(
                    "No escalation policy %s", policyId)));
        }
        if (to.recipient() instanceof Recipient.OnCallRole) {
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

    /** Users for targets at {@code at}: user ids as they are, roles as whoever is on call then, groups expanded. */
    Mono<List<String>> resolve(String orgId, List<PageStore.Target> targets, Instant at) {
        return Flux.fromIterable(targets)
                .concatMap(t -> switch0(orgId, t, at))
                .collect(LinkedHashSet<String>::new, LinkedHashSet::addAll)
                .map(List::copyOf);
    }

    private Mono<List<String>> switch0(String orgId, PageStore.Target t, Instant at) {
        if (t.recipient() instanceof Recipient.OnCallRole) {
            return coverage.onCall(orgId, t.id(), at);
        }
        if (t.recipient() instanceof Recipient.Group) {
            return paging.groupMembers(orgId, t.id());
        }
        return Mono.just(List.of(t.id()));
    }

    /**
     * One engine pass at {@code now}: due steps, then re-alerts. Each page is isolated: one that cannot be read or
     * fired is logged, counted ({@code wardfleet.jobs.failures{job="escalation"}}) and retried at a later pass, and
     * never stops the others.
     */
    Mono<Integer> tick(Instant now) {
        // due steps run side by side (the claim makes that safe): one slow step must not make the others late
        return store.due(now, 500, this::skipped)
                .flatMap(p -> isolate("page " + p.id(), store.claim(p, instanceId, now, now.plus(LEASE))
                        .flatMap(c -> fire(c, now))), 32)
                .reduce(0, Integer::sum)
                .flatMap(fired -> store.realertsDue(now, priority -> realertAt(priority, now), 200, this::skipped)
                        .concatMap(p -> isolate("page " + p.id(), realert(p, now)))
                        .then(Mono.just(fired)));
    }

    @Override
    protected String jobName() {
        return "escalation";
    }

    /** Re-alerts the page's people unless someone acknowledged it (on any device): then the page stops. */
    private Mono<Void> realert(PageStore.Page page, Instant now) {
        return paging.states(page.orgId(), page.id()).defaultIfEmpty(Map.of()).flatMap(states -> {
            String ackBy = states.entrySet().stream().filter(e -> e.getValue() == ReceiptState.ACKNOWLEDGED)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            return ackBy != null ? store.acknowledged(page.orgId(), page.id(), ackBy, now).then()
                    : paging.realert(page.orgId(), page.id());
        });
    }

    private Mono<Integer> fire(PageStore.Page page, Instant now) {
        // real lateness: when this runs (an injected future "now" in tests counts as on time)
        Instant actual = clock.instant().isAfter(now) ? clock.instant() : now;
        long lateMs = page.nextDueAt() == null ? 0 : Duration.between(page.nextDueAt(), actual).toMillis();
        return paging.states(page.orgId(), page.id()).defaultIfEmpty(Map.of()).flatMap(states -> {
            String ackBy = states.entrySet().stream().filter(e -> e.getValue() == ReceiptState.ACKNOWLEDGED)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
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
                return failed(page, now, lateMs);
            }
            PageStore.Step step = page.steps().get(nextStep);
            int s = nextStep;
            int r = nextRound;
            return reach(page.orgId(), step.targets(), now)
                    .flatMap(reach -> paging.addRecipients(page.orgId(), page.id(), reach.users())
                            .defaultIfEmpty(Paging.Added.NOTHING)
                            .flatMap(added -> paging.realert(page.orgId(), page.id())
                                    .then(store.advance(page, instanceId, List.<Bson>of(
                                                    Updates.set("state", PageState.ESCALATED.name()),
                                                    Updates.set("step", s),
                                                    Updates.set("round", r), Updates.set("nextDueAt",
                                                            java.util.Date.from(now.plusSeconds(step.waitSeconds())))),
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
    private Mono<Reach> reach(String orgId, List<PageStore.Target> targets, Instant at) {
        LinkedHashSet<String> users = new LinkedHashSet<>();
        List<Map<String, Object>> unresolved = new ArrayList<>();
        return Flux.fromIterable(targets)
                .concatMap(t -> switch0(orgId, t, at)
                        .onErrorResume(e -> e instanceof ProblemException p
                                && p.problemType() == OnCallProblems.ROTA_UNUSABLE, e -> {
                                    unresolved.add(Map.of(t.type() + "Id", t.id(), "reason",
                                            "its rota cannot be computed"));
                                    return Mono.empty();
                                })
                        .doOnNext(list -> {
                            if (list.isEmpty()) {
                                unresolved.add(Map.of(t.type() + "Id", t.id(), "reason",
                                        t.recipient() instanceof Recipient.OnCallRole
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
        details.put("overdue", lateMs > OVERDUE.toMillis());
        return event(now, PageState.ESCALATED.name(), details);
    }

    private Mono<Integer> failed(PageStore.Page page, Instant now, long lateMs) {
        return ownersOf(page).flatMap(owners -> {
            List<String> told = new ArrayList<>(new LinkedHashSet<>(owners));
            told.addAll(operators);
            return store.advance(page, instanceId, List.<Bson>of(Updates.set("state", PageState.FAILED.name()),
                                    Updates.set("nextDueAt", null), Updates.set("realertAt", null)),
                            event(now, PageState.FAILED.name(), Map.of("lateMs", lateMs, "told", told)))
                    .filter(changed -> changed)
                    .flatMap(changed -> events.publish(page.orgId(), "page.failed", page.id(),
                                    Map.of("priority", page.priority()))
                            .then(paging.notice(page.orgId(), page.senderId(), withSender(told, page.senderId()),
                                    "Page " + page.id() + " FAILED: nobody acknowledged it after every escalation "
                                            + "step. Open it to act.", "page-failed-" + page.id()))
                            .then(audit.record(AuditEvent.of(page.orgId(), Actor.system(), "page.failed", page.id(),
                                    Outcome.FAILURE))))
                    .thenReturn(1);
        });
    }

    private static List<String> withSender(List<String> told, String sender) {
        List<String> all = new ArrayList<>(told);
        all.remove(sender);
        return all;
    }

    private Mono<List<String>> ownersOf(PageStore.Page page) {
        return page.to().recipient() instanceof Recipient.OnCallRole
                ? roles.role(page.orgId(), page.to().id()).map(OnCallStore.Role::owners).defaultIfEmpty(List.of())
                : Mono.just(List.of());
    }

    static Map<String, Object> event(Instant at, String name, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", at.toString());
        e.put("event", name);
        e.putAll(details);
        return e;
    }

    @Override
    protected java.time.Duration period() {
        return tick;
    }

    @Override
    protected Mono<?> runOnce() {
        return tick(clock.instant());
    }
}
