package org.wardfleet.oncall.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.messaging.PageState;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.ReceiptState;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.web.PageRequest;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * Escalation policies and pages. A page document is its own durable timer: {@code nextDueAt} for the next step,
 * {@code realertAt} for re-alerting. A step is claimed with a lease <em>and fenced by the page's current
 * (round, step)</em>: a claim or a completion for a step the page has left (acknowledged, resolved, escalated) matches
 * nothing and does nothing.
 */
@Component
class PageStore implements IndexedCollection {

    /** The states a page escalates in, as stored (what the engine's filters match). */
    static final List<String> ACTIVE = java.util.Arrays.stream(PageState.values()).filter(PageState::active)
            .map(PageDocuments::word).toList();

    private final MongoCollection<Document> policies;
    private final MongoCollection<Document> pages;

    PageStore(MongoDatabase db) {
        this.policies = db.getCollection("escalation_policies");
        this.pages = db.getCollection("pages");
    }

    /** Whom a step reaches, resolved when it fires (a role: whoever is on call then). */
    record Step(List<Recipient> targets, int waitSeconds) {
    }

    record Policy(String id, String orgId, String name, int repeat, List<Step> steps) {
    }

    record Page(String id, String orgId, String senderId, Priority priority, Recipient to, List<Step> steps,
            int repeat, int round, int step, PageState state, Instant nextDueAt, Instant realertAt, String acknowledgedBy,
            Instant acknowledgedAt, List<Map<String, Object>> timeline, Instant createdAt) {
    }

    @Override
    public Publisher<?> createIndexes() {
        // the lists' order (MongoDB; the embedded server builds no secondary index and scans)
        return Flux.concat(pages.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId"),
                        Indexes.descending("createdAt", "_id"))),
                policies.createIndex(Indexes.ascending("orgId", "name")));
    }

    Mono<Policy> insert(Policy p) {
        return Mono.from(policies.insertOne(PageDocuments.policy(p))).thenReturn(p);
    }

    Mono<Policy> policy(String orgId, String id) {
        return Mono.from(policies.find(and(eq("_id", id), eq("orgId", orgId))).first()).map(PageDocuments::toPolicy);
    }

    /** The organisation's policies by name, a page at a time. */
    Flux<Policy> policies(String orgId, PageRequest page) {
        return Flux.from(policies.find(eq("orgId", orgId)).sort(Sorts.ascending("name", "_id")).skip(page.skip())
                .limit(page.size())).map(PageDocuments::toPolicy);
    }

    Mono<Long> countPolicies(String orgId) {
        return Mono.from(policies.countDocuments(eq("orgId", orgId)));
    }

    /** New name, repeat and steps; pages already sent keep the steps they copied. Empty when there is no such policy. */
    Mono<Policy> replace(Policy p) {
        return Mono.from(policies.updateOne(and(eq("_id", p.id()), eq("orgId", p.orgId())), Updates.combine(
                        Updates.set("name", p.name()), Updates.set("repeat", p.repeat()),
                        Updates.set("steps", PageDocuments.steps(p.steps())))))
                .filter(r -> r.getMatchedCount() == 1)
                .map(r -> p);
    }

    Mono<Boolean> deletePolicy(String orgId, String id) {
        return Mono.from(policies.deleteOne(and(eq("_id", id), eq("orgId", orgId))))
                .map(r -> r.getDeletedCount() == 1);
    }

    /** A page as lists show it: no steps, no timeline (which grows with every step and re-alert). */
    record Listed(String id, String senderId, Priority priority, Recipient to, int step, int round, PageState state,
            String acknowledgedBy, Instant acknowledgedAt, Instant createdAt) {
    }

    /** What a page list may be narrowed to; null fields do not narrow. {@code visibleTo}: sent by or addressed to. */
    record PageFilter(PageState state, Priority priority, String senderId, String roleId, String visibleTo) {
    }

    private static final Bson LISTED = com.mongodb.client.model.Projections.include("senderId", "priority", "to",
            "step", "round", "state", "acknowledgedBy", "acknowledgedAt", "createdAt");

    /** Newest first (ties by id, so pages never swap places between requests). */
    Flux<Listed> pages(String orgId, PageFilter filter, PageRequest page) {
        return Flux.from(pages.find(filter(orgId, filter)).projection(LISTED)
                        .sort(Sorts.descending("createdAt", "_id")).skip(page.skip()).limit(page.size()))
                .map(PageDocuments::toListed);
    }

    Mono<Long> countPages(String orgId, PageFilter filter) {
        return Mono.from(pages.countDocuments(filter(orgId, filter)));
    }

    private static Bson filter(String orgId, PageFilter f) {
        List<Bson> all = new ArrayList<>(List.of(eq("orgId", orgId)));
        if (f.state() != null) {
            all.add(eq("state", PageDocuments.word(f.state())));
        }
        if (f.priority() != null) {
            all.add(eq("priority", PageDocuments.word(f.priority())));
        }
        if (f.senderId() != null) {
            all.add(eq("senderId", f.senderId()));
        }
        if (f.roleId() != null) {
            all.add(and(eq("to.type", "role"), eq("to.id", f.roleId())));
        }
        if (f.visibleTo() != null) {
            all.add(or(eq("senderId", f.visibleTo()), and(eq("to.type", "user"), eq("to.id", f.visibleTo()))));
        }
        return and(all);
    }

    Mono<Page> insert(Page p) {
        return Mono.from(pages.insertOne(PageDocuments.page(p)))
                .thenReturn(p)
                .onErrorResume(Documents::isDuplicateKey, again -> page(p.orgId(), p.id()));
    }

    Mono<Page> page(String orgId, String id) {
        return Mono.from(pages.find(and(eq("_id", id), eq("orgId", orgId))).first()).map(PageDocuments::toPage);
    }

    /**
     * Pages whose next step is due (not leased by a live instance), oldest due first; a document that cannot be read
     * is handed to {@code unreadable} ("page id", error) and left out, so it cannot hold up the others.
     */
    Flux<Page> due(Instant now, int limit, BiConsumer<String, Throwable> unreadable) {
        return Flux.from(pages.find(and(in("state", ACTIVE), lte("nextDueAt", Documents.date(now)),
                        or(eq("leaseUntil", null), lte("leaseUntil", Documents.date(now)))))
                .sort(Sorts.ascending("nextDueAt")).limit(limit)).handle(readable(unreadable));
    }

    private static java.util.function.BiConsumer<Document, SynchronousSink<Page>> readable(
            BiConsumer<String, Throwable> unreadable) {
        return (d, sink) -> {
            try {
                sink.next(PageDocuments.toPage(d));
            } catch (RuntimeException e) {
                unreadable.accept("page " + d.get("_id"), e);
            }
        };
    }

    Mono<Page> claim(Page p, String owner, Instant now, Instant leaseUntil) {
        return Mono.from(pages.findOneAndUpdate(and(eq("_id", p.id()), in("state", ACTIVE), eq("round", p.round()),
                        eq("step", p.step()), lte("nextDueAt", Documents.date(now)),
                        or(eq("leaseUntil", null), lte("leaseUntil", Documents.date(now)))),
                        Updates.combine(Updates.set("leaseOwner", owner),
                                Updates.set("leaseUntil", Documents.date(leaseUntil))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(PageDocuments::toPage);
    }

    /** Moves the lease of a step this owner is still firing to {@code leaseUntil}; nothing once the step has moved. */
    Mono<Void> renew(Page claimed, String owner, Instant leaseUntil) {
        return Mono.from(pages.updateOne(and(eq("_id", claimed.id()), eq("leaseOwner", owner),
                        eq("round", claimed.round()), eq("step", claimed.step())),
                Updates.set("leaseUntil", Documents.date(leaseUntil)))).then();
    }

    /**
     * When another owner's lease on the step {@code p} is at ends, while the page is still active at that step; empty
     * once the step has moved on (fired, acknowledged, resolved) or when nobody else holds it.
     */
    Mono<Instant> leasedUntil(Page p, String owner) {
        return Mono.from(pages.find(and(eq("_id", p.id()), in("state", ACTIVE), eq("round", p.round()),
                        eq("step", p.step()), ne("leaseOwner", owner), ne("leaseUntil", null)))
                .projection(new Document("leaseUntil", 1)).first())
                .mapNotNull(d -> Documents.instant(d.getDate("leaseUntil")));
    }

    /**
     * The claimed step fired: the page is ESCALATED to {@code step} of {@code round}, next due at {@code nextDueAt};
     * fenced like {@link #advance}.
     */
    Mono<Boolean> escalated(Page claimed, String owner, int step, int round, Instant nextDueAt,
            Map<String, Object> event) {
        return advance(claimed, owner, List.of(Updates.set("state", PageState.ESCALATED.name()), Updates.set("step", step),
                Updates.set("round", round), Updates.set("nextDueAt", Documents.date(nextDueAt))), event);
    }

    /** The claimed step was the last: the page is FAILED, with no timer left; fenced like {@link #advance}. */
    Mono<Boolean> failed(Page claimed, String owner, Map<String, Object> event) {
        return advance(claimed, owner, List.of(Updates.set("state", PageState.FAILED.name()), Updates.set("nextDueAt", null),
                Updates.set("realertAt", null)), event);
    }

    /** Completes a claimed step; fenced: nothing happens if the page moved on meanwhile. */
    private Mono<Boolean> advance(Page claimed, String owner, List<Bson> changes, Map<String, Object> event) {
        List<Bson> all = new ArrayList<>(changes);
        all.add(Updates.set("leaseUntil", null));
        all.add(Updates.push("timeline", new Document(event)));
        return Mono.from(pages.updateOne(and(eq("_id", claimed.id()), eq("leaseOwner", owner), in("state", ACTIVE),
                        eq("round", claimed.round()), eq("step", claimed.step())), Updates.combine(all)))
                .map(r -> r.getModifiedCount() == 1);
    }

    /** Acknowledged (by whoever, on whichever device): the page stops, from any state it was active in. */
    Mono<Boolean> acknowledged(String orgId, String id, String userId, Instant at) {
        return Mono.from(pages.updateOne(and(eq("_id", id), eq("orgId", orgId), in("state", ACTIVE)),
                Updates.combine(Updates.set("state", PageState.ACKNOWLEDGED.name()),
                        Updates.set("acknowledgedBy", userId),
                        Updates.set("acknowledgedAt", Documents.date(at)), Updates.set("nextDueAt", null),
                        Updates.set("realertAt", null), Updates.push("timeline", new Document("at", at.toString())
                                .append("event", PageState.ACKNOWLEDGED.name()).append("userId", userId)))))
                .map(r -> r.getModifiedCount() == 1);
    }

    /** The sender (or an ADMIN) closes an acknowledged — or still active — page: nothing more happens to it. */
    Mono<Boolean> resolved(String orgId, String id, String userId, Instant at) {
        return Mono.from(pages.updateOne(and(eq("_id", id), eq("orgId", orgId),
                        in("state", List.of(PageState.TRIGGERED.name(), PageState.ESCALATED.name(),
                                PageState.ACKNOWLEDGED.name()))),
                Updates.combine(Updates.set("state", PageState.RESOLVED.name()), Updates.set("nextDueAt", null),
                        Updates.set("realertAt", null), Updates.push("timeline", new Document("at", at.toString())
                                .append("event", PageState.RESOLVED.name()).append("userId", userId)))))
                .map(r -> r.getModifiedCount() == 1);
    }

    /**
     * Every recipient so far declined: the next step is due now, not at the end of this one's wait (the escalation
     * loop takes it from there, leased and step-fenced as ever). Only pulls a due time forward, never back.
     */
    Mono<Boolean> declinedByAll(String orgId, String id, String userId, Instant at) {
        return Mono.from(pages.updateOne(and(eq("_id", id), eq("orgId", orgId), in("state", ACTIVE),
                        com.mongodb.client.model.Filters.gt("nextDueAt", Documents.date(at))),
                Updates.combine(Updates.set("nextDueAt", Documents.date(at)), Updates.push("timeline",
                        new Document("at", at.toString()).append("event", ReceiptState.DECLINED.name())
                                .append("userId", userId)))))
                .map(r -> r.getModifiedCount() == 1);
    }

    Mono<Void> note(String orgId, String id, Map<String, Object> event) {
        return Mono.from(pages.updateOne(and(eq("_id", id), eq("orgId", orgId)),
                Updates.push("timeline", new Document(event)))).then();
    }

    /**
     * Claims the next re-alert atomically (the update itself moves {@code realertAt} on, to {@code next} of the page's
     * priority: STAT and URGENT each keep their own interval); unreadable documents as in {@link #due}.
     */
    Flux<Page> realertsDue(Instant now, Function<Priority, Instant> next, int limit,
            BiConsumer<String, Throwable> unreadable) {
        return Flux.from(pages.find(and(in("state", ACTIVE), lte("realertAt", Documents.date(now)))).limit(limit))
                .concatMap(d -> Mono.from(pages.findOneAndUpdate(and(eq("_id", d.getString("_id")),
                                in("state", ACTIVE), eq("realertAt", d.getDate("realertAt"))),
                        Updates.set("realertAt",
                                Documents.date(next.apply(Priority.stored(d.getString("priority"))))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))))
                .handle(readable(unreadable));
    }

    Mono<Long> overdue(Instant before) {
        return Mono.from(pages.countDocuments(and(in("state", ACTIVE), lte("nextDueAt", Documents.date(before)))));
    }
}
