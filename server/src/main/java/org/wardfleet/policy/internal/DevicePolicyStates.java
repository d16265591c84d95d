package org.wardfleet.policy.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where each device stands with its policy ({@code device_policy_state}, one document per device): which version it
 * was told about, fetched, and reported on, with the per-setting results. Rollout counts are derived from these
 * against the version each device should have now, so they never drift from the truth.
 */
@Component
class DevicePolicyStates {

    private final MongoCollection<Document> states;
    private final Clock clock;

    DevicePolicyStates(MongoDatabase db, Clock clock) {
        this.states = db.getCollection("device_policy_state");
        this.clock = clock;
    }

    record Result(String setting, String status, String reason) {
    }

    record State(String deviceId, String notifiedVer, String notifiedVia, String fetchedVer, String reportedVer,
            List<Result> results, Instant reportedAt, String wakeFailure) {

        boolean reportedFailure() {
            return results.stream().anyMatch(r -> "FAILED".equals(r.status()));
        }

        boolean reportedNotSupported() {
            return results.stream().anyMatch(r -> "NOT_SUPPORTED".equals(r.status()));
        }
    }

    /** Device id → (version, channel): one bulk write for the whole batch. */
    Mono<Void> notified(String orgId, Map<String, String> versions, Map<String, String> via) {
        if (versions.isEmpty()) {
            return Mono.empty();
        }
        var at = Documents.date(clock.instant());
        List<WriteModel<Document>> writes = new ArrayList<>();
        versions.forEach((deviceId, ver) -> writes.add(new UpdateOneModel<>(and(eq("_id", deviceId),
                eq("orgId", orgId)), Updates.combine(Updates.set("notifiedVer", ver),
                Updates.set("notifiedVia", via.get(deviceId)), Updates.set("notifiedAt", at),
                Updates.unset("wakeFailure")), new UpdateOptions().upsert(true))));
        return Mono.from(states.bulkWrite(writes, new BulkWriteOptions().ordered(false))).then();
    }

    Mono<Void> wakeFailed(String orgId, Map<String, String> reasons) {
        if (reasons.isEmpty()) {
            return Mono.empty();
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        reasons.forEach((deviceId, reason) -> writes.add(new UpdateOneModel<>(and(eq("_id", deviceId),
                eq("orgId", orgId)), Updates.set("wakeFailure", reason), new UpdateOptions().upsert(true))));
        return Mono.from(states.bulkWrite(writes, new BulkWriteOptions().ordered(false))).then();
    }

    Mono<Void> fetched(String orgId, String deviceId, String ver) {
        return Mono.from(states.updateOne(and(eq("_id", deviceId), eq("orgId", orgId)),
                Updates.combine(Updates.set("fetchedVer", ver), Updates.set("fetchedAt",
                        Documents.date(clock.instant()))), new UpdateOptions().upsert(true))).then();
    }

    Mono<Void> reported(String orgId, String deviceId, String ver, Collection<Result> results) {
        List<Document> docs = results.stream().map(r -> new Document("setting", r.setting())
                .append("status", r.status()).append("reason", r.reason())).toList();
        return Mono.from(states.updateOne(and(eq("_id", deviceId), eq("orgId", orgId)),
                Updates.combine(Updates.set("reportedVer", ver), Updates.set("results", docs),
                        Updates.set("reportedAt", Documents.date(clock.instant()))),
                new UpdateOptions().upsert(true))).then();
    }

    Mono<Map<String, State>> all(String orgId) {
        return Flux.from(states.find(eq("orgId", orgId))).map(DevicePolicyStates::toState)
                .collectMap(State::deviceId);
    }

    private static State toState(Document d) {
        List<Result> results = d.getList("results", Document.class, List.of()).stream()
                .map(r -> new Result(r.getString("setting"), r.getString("status"), r.getString("reason"))).toList();
        return new State(d.getString("_id"), d.getString("notifiedVer"), d.getString("notifiedVia"),
                d.getString("fetchedVer"), d.getString("reportedVer"), results,
                Documents.instant(d.getDate("reportedAt")), d.getString("wakeFailure"));
    }
}
