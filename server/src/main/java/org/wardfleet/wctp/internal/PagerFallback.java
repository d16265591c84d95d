package org.wardfleet.wctp.internal;

import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.PageReceipts;
import org.wardfleet.messaging.Priority;
import org.wardfleet.oncall.Pages;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.time.Job;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.time.JobRun;
import org.wardfleet.wctp.WctpSenderAdministration;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * App first, pager as fallback: an URGENT or STAT page (or broadcast, drills excepted) still not DELIVERED to any of a
 * recipient's devices after their contact rule's time (default 60 s STAT, 3 min URGENT) goes to their pager through
 * the hospital's WCTP gateway — once ({@code pager_fallbacks} claims it by insert, across instances) — and the page's
 * timeline says so ("sent to pager 1234"). A time of 0 means "app and pager at once": the pager gets it at the next
 * check whether or not a device already has it (unless the recipient has already answered). Pager text carries no
 * patient data.
 */
@Component
class PagerFallback implements Job {

    /** Failure isolation per item (page, step, organisation): counted under this job's name. */
    private final JobRun items;

    static final Duration LOOKBACK = Duration.ofHours(2);
    /** Gateway requests in flight at once (each retries on its own with back-off). */
    static final int SENDS_IN_PARALLEL = 8;

    private final PageReceipts paging;
    private final Pages pages;
    private final ContactRules rules;
    private final WctpGatewayClient gateway;
    private final AuditLog audit;
    private final MongoCollection<Document> claims;
    private final Clock clock;
    private final Duration every;

    PagerFallback(JobFailures failures,
            PageReceipts paging, Pages pages, ContactRules rules, WctpGatewayClient gateway, AuditLog audit,
            MongoDatabase db, Clock clock, @Value("${wardfleet.wctp.fallback-check:5s}") Duration every) {
        this.items = new JobRun(name(), failures);
        this.paging = paging;
        this.pages = pages;
        this.rules = rules;
        this.gateway = gateway;
        this.audit = audit;
        this.claims = db.getCollection("pager_fallbacks");
        this.clock = clock;
        this.every = every;
    }

    /** Sends every fallback due at {@code now}; returns how many went out. */
    Mono<Integer> check(Instant now) {
        return paging.openRecipients(now.minus(LOOKBACK)).collectList()
                .flatMap(open -> rules.findAll(open.stream().map(PageReceipts.OpenRecipient::userId).distinct().toList())
                        .flatMap(byUser -> send(open.stream().filter(u -> due(u, byUser.get(u.userId()), now))
                                .toList(), byUser, now)));
    }

    /** Claims and sends each of these not claimed before (by this or another instance); returns how many went out. */
    private Mono<Integer> send(List<PageReceipts.OpenRecipient> due, Map<String, ContactRules.Rule> byUser, Instant now) {
        return claimed(due).flatMap(done -> Flux.fromIterable(due)
                .filter(u -> !done.contains(claimId(u)))
                // a major incident may owe hundreds of pagers at once: a few gateway conversations in parallel
                .flatMap(u -> items.isolate("page " + u.messageId() + " user " + u.userId(), claim(u)
                        .filter(Boolean::booleanValue)
                        .flatMap(won -> send(u, byUser.get(u.userId()), now))), SENDS_IN_PARALLEL)
                .reduce(0, Integer::sum));
    }

    /** Pager now: the rule says "at once" (0 s), or no device has proved it has the page within the rule's time. */
    static boolean due(PageReceipts.OpenRecipient u, ContactRules.Rule rule, Instant now) {
        if (rule == null || !rule.orgId().equals(u.orgId()) || rule.pager() == null) {
            return false;
        }
        int after = rule.after(u.priority());
        return after == 0 || u.undelivered() && !u.sentAt().plusSeconds(after).isAfter(now);
    }

    /**
     * The claims already made among these (one read): a recipient paged at once, or one without a device, stays
     * open for the whole window and must not cost an insert attempt on every check.
     */
    private Mono<Set<String>> claimed(List<PageReceipts.OpenRecipient> due) {
        if (due.isEmpty()) {
            return Mono.just(Set.of());
        }
        return Flux.from(claims.find(com.mongodb.client.model.Filters.in("_id",
                        due.stream().map(PagerFallback::claimId).toList()))
                        .projection(com.mongodb.client.model.Projections.include("_id")).batchSize(1_000))
                .map(d -> d.getString("_id")).collect(HashSet<String>::new, Set::add);
    }

    private static String claimId(PageReceipts.OpenRecipient u) {
        return u.messageId() + ":" + u.userId();
    }

    /**
     * Forgets claims made before {@code before} (retention); returns how many. Only safe past {@link #LOOKBACK}: a
     * page older than that is never looked at again, so its claim has nothing left to guard.
     */
    Mono<Long> forget(Instant before) {
        if (before.isAfter(clock.instant().minus(LOOKBACK))) {
            return Mono.error(new IllegalArgumentException("Claims inside the fallback window are still needed"));
        }
        return Mono.from(claims.deleteMany(com.mongodb.client.model.Filters.lt("at", Documents.date(before))))
                .map(com.mongodb.client.result.DeleteResult::getDeletedCount);
    }

    /**
     * The organisation's last pager message the gateway took and the last it refused (or was unreachable for), from
     * the claims kept for the retention period: two reads of the organisation's claims (the embedded server scans).
     */
    Mono<WctpSenderAdministration.GatewayStatus> status(String orgId) {
        return Mono.zip(last(orgId, "PAGER_SENT"), last(orgId, "PAGER_FAILED"))
                .map(t -> new WctpSenderAdministration.GatewayStatus(gateway.configured(), gateway.target(),
                        t.getT1().map(d -> Documents.instant(d.getDate("outcomeAt"))).orElse(null),
                        t.getT2().map(d -> Documents.instant(d.getDate("outcomeAt"))).orElse(null),
                        t.getT2().map(d -> d.getInteger("code", 0)).orElse(0)));
    }

    private Mono<java.util.Optional<Document>> last(String orgId, String outcome) {
        return Mono.from(claims.find(com.mongodb.client.model.Filters.and(eq("orgId", orgId), eq("outcome", outcome)))
                        .sort(com.mongodb.client.model.Sorts.descending("outcomeAt")).first())
                .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty());
    }

    private Mono<Boolean> claim(PageReceipts.OpenRecipient u) {
        return Mono.from(claims.insertOne(new Document("_id", claimId(u))
                        .append("orgId", u.orgId()).append("at", Documents.date(clock.instant()))))
                .thenReturn(true)
                .onErrorResume(Documents::isDuplicateKey, already -> Mono.just(false));
    }

    private Mono<Integer> send(PageReceipts.OpenRecipient u, ContactRules.Rule rule, Instant now) {
        String reference = u.messageId().substring(0, 8);
        return gateway.send(rule.pager(), WctpGatewayClient.pagerText(u.priority(), reference), u.messageId(),
                        u.priority() == Priority.STAT, failed -> pages.note(u.orgId(), u.messageId(),
                                event("PAGER_RETRY", u, rule, failed.code(), "attempt", failed.attempts())))
                .flatMap(outcome -> {
                    Map<String, Object> event = event(outcome.accepted() ? "PAGER_SENT" : "PAGER_FAILED", u, rule,
                            outcome.code(), "attempts", outcome.attempts());
                    return pages.note(u.orgId(), u.messageId(), event)
                            .then(Mono.from(claims.updateOne(eq("_id", claimId(u)),
                                    com.mongodb.client.model.Updates.combine(
                                            com.mongodb.client.model.Updates.set("outcome", event.get("event")),
                                            com.mongodb.client.model.Updates.set("outcomeAt",
                                                    Documents.date(clock.instant())),
                                            com.mongodb.client.model.Updates.set("code", outcome.code())))))
                            .then(audit.record(AuditEvent.of(u.orgId(), Actor.system(), "page.pager", u.messageId(),
                                    outcome.accepted() ? Outcome.SUCCESS : Outcome.FAILURE)
                                    .withDetail("userId", u.userId())))
                            .thenReturn(outcome.accepted() ? 1 : 0);
                });
    }

    /** A page-timeline event about the pager ("sent to pager 1234 at 03:12:07"). */
    private Map<String, Object> event(String type, PageReceipts.OpenRecipient u, ContactRules.Rule rule, int code,
            String countName, int count) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("at", clock.instant().toString());
        event.put("event", type);
        event.put("userId", u.userId());
        event.put("pager", rule.pager());
        event.put("code", code);
        event.put(countName, count);
        return event;
    }

    @Override
    public String name() {
        return "pager-fallback";
    }

    @Override
    public java.time.Duration interval() {
        return every;
    }

    @Override
    public Mono<?> run() {
        return gateway.configured() ? check(clock.instant()) : Mono.empty();
    }
}
