package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.Paging;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.internal.PageIntentStore.Intent;
import org.wardfleet.oncall.internal.PageIntentStore.Kind;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.web.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * A page is three writes in three collections — the message (with its fan-out to devices), the page record that
 * escalates it, the audit entry — and there are no transactions. So each page and broadcast first writes an intent
 * ({@link PageIntentStore}, one document keyed by organisation, sender and idempotency key), then the steps, each of
 * which may run twice (the message is keyed by the idempotency key and its fan-out is finished by whoever finds it
 * half done, the page record is keyed by the message id), then deletes the intent. A server killed in between leaves
 * the intent: this task, at start-up and then every {@code wardfleet.oncall.intent-recovery}, claims intents older
 * than the grace period (a lease, so two instances never replay the same one) and finishes them — the page record
 * with the message's own recipients and send time (so a step already due fires on the next tick), and an audit entry
 * marked {@code recovered}. An intent whose message was never written is given up and audited as a FAILURE: nothing
 * reached anybody and its request was never answered. A retried request with the same key runs the same steps and so
 * returns the same page, whether the first attempt finished, was recovered, or neither yet.
 */
@Component
class PageIntents implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(PageIntents.class);
    static final int BATCH = 50;

    final String instanceId = UUID.randomUUID().toString();
    private final PageIntentStore intents;
    private final Escalation escalation;
    private final PageStore pages;
    private final BroadcastStore broadcasts;
    private final Paging paging;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration grace;
    private final Duration period;
    private final AtomicLong pending = new AtomicLong();
    /** Intents this instance is working on now. */
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    PageIntents(PageIntentStore intents, Escalation escalation, PageStore pages, BroadcastStore broadcasts,
            Paging paging, AuditLog audit, Clock clock, MeterRegistry meters,
            @Value("${wardfleet.oncall.intent-grace:30s}") Duration grace,
            @Value("${wardfleet.oncall.intent-recovery:10s}") Duration period) {
        if (grace.isNegative() || grace.isZero() || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("wardfleet.oncall.intent-grace and intent-recovery must be positive");
        }
        this.intents = intents;
        this.escalation = escalation;
        this.pages = pages;
        this.broadcasts = broadcasts;
        this.paging = paging;
        this.audit = audit;
        this.clock = clock;
        this.grace = grace;
        this.period = period;
        meters.gauge("wardfleet.oncall.intents.pending", pending);
    }

    /** {@link Escalation#trigger} under an intent. */
    Mono<PageStore.Page> trigger(String orgId, String senderId, Recipient to, String text, Priority priority,
            String policyId, List<String> choices, String idempotencyKey) {
        return guarded(Intent.of(Kind.PAGE, orgId, senderId, idempotencyKey, to, priority, policyId, clock.instant()),
                escalation.trigger(orgId, senderId, to, text, priority, policyId, choices, idempotencyKey));
    }

    /**
     * A broadcast (or drill), its entry in the broadcast list and its audit entry under an intent; returns its message
     * id. {@code audience}: whom it was addressed to ({@code all}, a {@code role}, a {@code group}).
     */
    Mono<String> broadcast(String orgId, String senderId, Recipient audience, List<String> people, String text,
            Priority priority, List<String> choices, boolean drill, String idempotencyKey) {
        Kind kind = drill ? Kind.DRILL : Kind.BROADCAST;
        int recipients = (int) people.stream().filter(p -> !p.equals(senderId)).distinct().count();
        return guarded(Intent.of(kind, orgId, senderId, idempotencyKey, audience, priority, null, clock.instant()),
                paging.broadcast(orgId, senderId, people, text, priority, choices, drill, idempotencyKey)
                        .flatMap(id -> broadcasts.record(new BroadcastStore.Broadcast(id, orgId, senderId, audience,
                                        priority, drill, recipients,
                                        choices == null ? List.of() : List.copyOf(choices),
                                        clock.instant()))
                                .then(audit.record(broadcastEvent(orgId, senderId, kind, id, Outcome.SUCCESS)
                                        .withDetail("recipients", Integer.toString(people.size()))))
                                .thenReturn(id)));
    }

    /**
     * The intent, the steps, the intent gone. A refusal (4xx: nothing was written) removes the intent at once; any
     * other failure leaves it for recovery, which finds out how far the steps got.
     */
    private <T> Mono<T> guarded(Intent intent, Mono<T> steps) {
        // while this instance still works on it, its own recovery pass leaves it alone however slow it is
        return Mono.fromRunnable(() -> inFlight.add(intent.id()))
                .then(intents.begin(intent, instanceId, intent.createdAt().plus(grace)))
                .then(steps)
                .flatMap(result -> intents.done(intent.id()).thenReturn(result))
                .switchIfEmpty(Mono.defer(() -> intents.done(intent.id()).then(Mono.empty())))
                .onErrorResume(e -> e instanceof ProblemException p && p.getStatusCode().is4xxClientError(),
                        refused -> intents.done(intent.id()).then(Mono.error(refused)))
                .doFinally(signal -> inFlight.remove(intent.id()));
    }

    @Override
    public String name() {
        return "page-intents";
    }

    @Override
    public java.time.Duration interval() {
        return period;
    }

    /** Soon after start-up: intents a crash left behind are finished before the next period. */
    @Override
    public java.time.Duration initialDelay() {
        return Duration.ofSeconds(2);
    }

    @Override
    public Mono<?> run() {
        return recoverDue(clock.instant());
    }

    /** One recovery pass at {@code now}: returns how many intents were claimed. */
    Mono<Integer> recoverDue(Instant now) {
        return intents.due(now, BATCH)
                .filter(due -> !inFlight.contains(due.id()))
                .concatMap(due -> intents.claim(due.id(), instanceId, now, now.plus(grace))
                        .flatMap(claimed -> recover(claimed, now).thenReturn(1)
                                .onErrorResume(e -> {
                                    LOG.warn("Could not finish page intent {} (attempt {}); will retry: {}",
                                            claimed.id(), claimed.attempts(), e.toString());
                                    return Mono.just(1);
                                })))
                .reduce(0, Integer::sum)
                .flatMap(claimed -> intents.pending().doOnNext(pending::set).thenReturn(claimed));
    }

    private Mono<Void> recover(Intent intent, Instant now) {
        return paging.resume(intent.orgId(), intent.senderId(), intent.idempotencyKey())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(sent -> {
                    if (sent.isEmpty()) {
                        return givenUp(intent).then(intents.done(intent.id()));
                    }
                    if (!sent.get().complete()) {
                        return Mono.empty(); // its sender still holds the fan-out: the next pass looks again
                    }
                    Mono<Void> finished = intent.kind() == Kind.PAGE ? finishPage(intent, sent.get(), now)
                            : finishBroadcast(intent, sent.get());
                    return finished.then(intents.done(intent.id()));
                });
    }

    /** The page record as the trigger would have written it, from the message's recipients and send time. */
    private Mono<Void> finishPage(Intent intent, Paging.Sent sent, Instant now) {
        return escalation.policy(intent.orgId(), intent.to(), intent.priority(), intent.policyId())
                .onErrorResume(gone -> Mono.empty())
                .switchIfEmpty(Mono.fromSupplier(() -> escalation.defaultPolicy(intent.to(), intent.priority())))
                .flatMap(policy -> pages.page(intent.orgId(), sent.id())
                        // the page record is there: only the intent's removal (or the audit entry) was lost
                        .map(existing -> false)
                        .switchIfEmpty(escalation.record(sent.id(), intent.orgId(), intent.senderId(), intent.to(),
                                intent.priority(), policy, sent.recipients(), sent.sentAt()).thenReturn(true)))
                .filter(Boolean::booleanValue)
                .flatMap(created -> pages.note(intent.orgId(), sent.id(), Escalation.event(now, "RECOVERED",
                        Map.of("reason", "its sender stopped before the page was complete"))))
                .then(audit.record(AuditEvent.of(intent.orgId(), Actor.user(intent.senderId()), "page.trigger",
                        sent.id(), Outcome.SUCCESS).withDetail("priority", intent.priority().name())
                        .withDetail("recovered", "true")));
    }

    /** The broadcast's list entry (its choices are not kept in the intent) and its audit entry. */
    private Mono<Void> finishBroadcast(Intent intent, Paging.Sent sent) {
        List<String> recipients = sent.recipients().stream().filter(p -> !p.equals(intent.senderId())).toList();
        return broadcasts.record(new BroadcastStore.Broadcast(sent.id(), intent.orgId(), intent.senderId(),
                        intent.to(), intent.priority(), intent.kind() == Kind.DRILL, recipients.size(), List.of(),
                        sent.sentAt()))
                .then(audit.record(broadcastEvent(intent.orgId(), intent.senderId(), intent.kind(), sent.id(),
                        Outcome.SUCCESS).withDetail("recovered", "true")
                        .withDetail("recipients", Integer.toString(sent.recipients().size()))));
    }

    /** No message under the key: the request stopped before anything was sent; say so in the audit log. */
    private Mono<Void> givenUp(Intent intent) {
        AuditEvent event = intent.kind() == Kind.PAGE
                ? AuditEvent.of(intent.orgId(), Actor.user(intent.senderId()), "page.trigger", null,
                        Outcome.FAILURE).withDetail("priority", intent.priority().name())
                : broadcastEvent(intent.orgId(), intent.senderId(), intent.kind(), null, Outcome.FAILURE);
        return audit.record(event.withDetail("interrupted", "true"));
    }

    private static AuditEvent broadcastEvent(String orgId, String senderId, Kind kind, String id, Outcome outcome) {
        return AuditEvent.of(orgId, Actor.user(senderId), kind == Kind.DRILL ? "broadcast.drill" : "broadcast.send",
                id, outcome);
    }
}
