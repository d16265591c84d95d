package org.wardfleet.compliance.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The enforcement ladder as durable timers ({@code enforcement_steps}): one document per step of one non-compliance
 * episode, {@code _id = device:episode:index} so scheduling twice is harmless. A step is claimed with a lease
 * (findOneAndUpdate), so with several instances each due step runs once; a claim that outlives its lease (the
 * instance died mid-step) is taken over.
 */
@Component
class EnforcementSteps {

    static final Duration LEASE = Duration.ofMinutes(2);

    private final MongoCollection<Document> steps;

    EnforcementSteps(MongoDatabase db) {
        this.steps = db.getCollection("enforcement_steps");
    }

    record Step(String id, String orgId, String deviceId, String episode, int index, String action, Instant dueAt,
            String state, int attempts) {
    }

    Mono<Void> schedule(List<Step> ladder) {
        if (ladder.isEmpty()) {
            return Mono.empty();
        }
        return Mono.from(steps.insertMany(ladder.stream().map(s -> new Document("_id", s.id())
                        .append("orgId", s.orgId()).append("deviceId", s.deviceId()).append("episode", s.episode())
                        .append("index", s.index()).append("action", s.action())
                        .append("dueAt", Documents.date(s.dueAt())).append("state", "PENDING").append("attempts", 0)
                        .append("leaseUntil", null)).toList(), new InsertManyOptions().ordered(false)))
                .then()
                .onErrorResume(Documents::isDuplicateKey, already -> Mono.empty());
    }

    /** Due, pending and not leased (or leased by an instance that missed its deadline). */
    Flux<Step> due(Instant now, int limit) {
        return Flux.from(steps.find(and(eq("state", "PENDING"), lte("dueAt", Documents.date(now)),
                        or(eq("leaseUntil", null), lte("leaseUntil", Documents.date(now)))))
                .sort(Sorts.ascending("dueAt")).limit(limit)).map(EnforcementSteps::toStep);
    }

    /** Exactly one caller wins the claim of a due step. */
    Mono<Step> claim(String stepId, String owner, Instant now) {
        return Mono.from(steps.findOneAndUpdate(and(eq("_id", stepId), eq("state", "PENDING"),
                        or(eq("leaseUntil", null), lte("leaseUntil", Documents.date(now)))),
                        Updates.combine(Updates.set("leaseOwner", owner),
                                Updates.set("leaseUntil", Documents.date(now.plus(LEASE))), Updates.inc("attempts", 1)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(EnforcementSteps::toStep);
    }

    Mono<Void> done(String stepId, String owner, Instant now, String outcome) {
        return Mono.from(steps.updateOne(and(eq("_id", stepId), eq("leaseOwner", owner)), Updates.combine(
                Updates.set("state", "DONE"), Updates.set("doneAt", Documents.date(now)),
                Updates.set("outcome", outcome), Updates.set("leaseUntil", null)))).then();
    }

    /** The device is compliant again: nothing further happens to it for this episode. */
    Mono<Long> cancelPending(String orgId, String deviceId, Instant now) {
        return Mono.from(steps.updateMany(and(eq("orgId", orgId), eq("deviceId", deviceId), eq("state", "PENDING")),
                Updates.combine(Updates.set("state", "CANCELLED"), Updates.set("cancelledAt", Documents.date(now)))))
                .map(r -> r.getModifiedCount());
    }

    /** The organisation's steps still to run, soonest first (a scan in embedded mode: no non-unique index). */
    Flux<Step> pending(String orgId, int limit) {
        return Flux.from(steps.find(and(eq("orgId", orgId), eq("state", "PENDING"))).sort(Sorts.ascending("dueAt"))
                .limit(limit)).map(EnforcementSteps::toStep);
    }

    Mono<Long> countPending(String orgId) {
        return Mono.from(steps.countDocuments(and(eq("orgId", orgId), eq("state", "PENDING"))));
    }

    Flux<Step> forDevice(String orgId, String deviceId) {
        return Flux.from(steps.find(and(eq("orgId", orgId), eq("deviceId", deviceId))).sort(Sorts.ascending("dueAt")))
                .map(EnforcementSteps::toStep);
    }

    private static Step toStep(Document d) {
        return new Step(d.getString("_id"), d.getString("orgId"), d.getString("deviceId"), d.getString("episode"),
                d.getInteger("index", 0), d.getString("action"), Documents.instant(d.getDate("dueAt")),
                d.getString("state"), d.getInteger("attempts", 0));
    }
}
