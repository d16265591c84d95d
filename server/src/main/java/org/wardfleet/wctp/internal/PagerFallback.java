package org.wardfleet.wctp.internal;

import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.Paging;
import org.wardfleet.oncall.Pages;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.time.PeriodicTask;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * App first, pager as fallback: an URGENT or STAT page still not DELIVERED to any of a recipient's devices after their
 * contact rule's time (default 60 s STAT, 3 min URGENT) goes to their pager through the hospital's WCTP gateway —
 * once ({@code pager_fallbacks} claims it by insert, across instances) — and the page's timeline says so
 * ("sent to pager 1234"). Pager text carries no patient data.
 */
@Component
class PagerFallback extends PeriodicTask {

    static final Duration LOOKBACK = Duration.ofHours(2);

    private final Paging paging;
    private final Pages pages;
    private final ContactRules rules;
    private final WctpGatewayClient gateway;
    private final AuditLog audit;
    private final MongoCollection<Document> claims;
    private final Clock clock;
    private final Duration every;

    PagerFallback(Paging paging, Pages pages, ContactRules rules, WctpGatewayClient gateway, AuditLog audit,
            MongoDatabase db, Clock clock, @Value("${wardfleet.wctp.fallback-check:5s}") Duration every) {
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
        return paging.undelivered(now.minus(LOOKBACK)).collectList()
                .flatMap(open -> rules.findAll(open.stream().map(Paging.Undelivered::userId).toList())
                        .flatMapMany(byUser -> Flux.fromIterable(open).concatMap(u -> {
                            ContactRules.Rule rule = byUser.get(u.userId());
                            boolean due = rule != null && rule.orgId().equals(u.orgId()) && rule.pager() != null
                                    && !u.sentAt().plusSeconds(rule.after(u.priority())).isAfter(now);
                            return due ? claim(u).filter(won -> won).flatMap(won -> send(u, rule, now))
                                    : Mono.<Integer>empty();
                        }))
                        .reduce(0, Integer::sum));
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

    private Mono<Boolean> claim(Paging.Undelivered u) {
        return Mono.from(claims.insertOne(new Document("_id", u.messageId() + ":" + u.userId())
                        .append("orgId", u.orgId()).append("at", Documents.date(clock.instant()))))
                .thenReturn(true)
                .onErrorResume(Documents::isDuplicateKey, already -> Mono.just(false));
    }

    private Mono<Integer> send(Paging.Undelivered u, ContactRules.Rule rule, Instant now) {
        String reference = u.messageId().substring(0, 8);
        return gateway.send(rule.pager(), WctpGatewayClient.pagerText(u.priority(), reference), u.messageId(),
                        "STAT".equals(u.priority()), failed -> pages.note(u.orgId(), u.messageId(),
                                event("PAGER_RETRY", u, rule, failed.code(), "attempt", failed.attempts())))
                .flatMap(outcome -> {
                    Map<String, Object> event = event(outcome.accepted() ? "PAGER_SENT" : "PAGER_FAILED", u, rule,
                            outcome.code(), "attempts", outcome.attempts());
                    return pages.note(u.orgId(), u.messageId(), event)
                            .then(Mono.from(claims.updateOne(eq("_id", u.messageId() + ":" + u.userId()),
                                    com.mongodb.client.model.Updates.set("outcome", event.get("event")))))
                            .then(audit.record(AuditEvent.of(u.orgId(), Actor.system(), "page.pager", u.messageId(),
                                    outcome.accepted() ? Outcome.SUCCESS : Outcome.FAILURE)
                                    .withDetail("userId", u.userId())))
                            .thenReturn(outcome.accepted() ? 1 : 0);
                });
    }

    /** A page-timeline event about the pager ("sent to pager 1234 at 03:12:07"). */
    private Map<String, Object> event(String type, Paging.Undelivered u, ContactRules.Rule rule, int code,
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
    protected Duration period() {
        return every;
    }

    @Override
    protected Mono<?> runOnce() {
        return gateway.configured() ? check(clock.instant()) : Mono.empty();
    }
}
