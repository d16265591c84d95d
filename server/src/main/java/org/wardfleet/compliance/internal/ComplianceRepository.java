package org.wardfleet.compliance.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;
import org.wardfleet.compliance.ComplianceReport;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Each device's current compliance ({@code device_compliance}) and every evaluated report ({@code compliance_reports}). */
@Component
class ComplianceRepository {

    private final MongoCollection<Document> current;
    private final MongoCollection<Document> reports;

    ComplianceRepository(MongoDatabase db) {
        this.current = db.getCollection("device_compliance");
        this.reports = db.getCollection("compliance_reports");
    }

    /**
     * @param since when the device entered this state (kept across reports with the same state)
     */
    record Current(String deviceId, String orgId, ComplianceState state, List<Map<String, Object>> reasons,
            Instant since, Instant lastReportAt, String evidenceStrength, String policyVersion, boolean blocked) {
    }

    Mono<Current> current(String orgId, String deviceId) {
        return Mono.from(current.find(and(eq("_id", deviceId), eq("orgId", orgId))).first()).mapNotNull(this::toCurrent);
    }

    /** Devices (of every organisation) whose last report is older than {@code before} and not yet judged stale. */
    Flux<Current> reportedBefore(Instant before) {
        return Flux.from(current.find(and(com.mongodb.client.model.Filters.in("state",
                        List.of(ComplianceState.COMPLIANT.name(), ComplianceState.UNKNOWN.name())),
                        com.mongodb.client.model.Filters.lt("lastReportAt", Documents.date(before)))))
                .mapNotNull(this::toCurrent);
    }

    Flux<Current> all(String orgId) {
        return Flux.from(current.find(eq("orgId", orgId))).mapNotNull(this::toCurrent);
    }

    /** What {@link #save} did: whether the state changed, and since when the device is in it (if it changed). */
    record Saved(boolean changed, Instant since) {
    }

    /**
     * Sets the evaluation; leaves {@code blocked} (set by enforcement) alone, and {@code since} too while the state
     * stays the same. The common case — a report that confirms the state — is one conditional update; only a change
     * (or the first report) takes a second round trip, which also tells the state before.
     */
    Mono<Saved> save(Current c) {
        Bson evaluation = Updates.combine(
                Updates.set("reasons", c.reasons().stream().map(Document::new).toList()),
                Updates.set("lastReportAt", Documents.date(c.lastReportAt())),
                Updates.set("evidenceStrength", c.evidenceStrength()),
                Updates.set("policyVersion", c.policyVersion()));
        return Mono.from(current.updateOne(and(eq("_id", c.deviceId()), eq("orgId", c.orgId()),
                        eq("state", c.state().name())), evaluation))
                .flatMap(same -> same.getMatchedCount() == 1 ? Mono.just(new Saved(false, null))
                        : Mono.from(current.findOneAndUpdate(and(eq("_id", c.deviceId()), eq("orgId", c.orgId())),
                                        Updates.combine(evaluation, Updates.set("state", c.state().name()),
                                                Updates.set("since", Documents.date(c.since()))),
                                        new FindOneAndUpdateOptions().upsert(true)
                                                .returnDocument(ReturnDocument.BEFORE)))
                                .map(before -> new Saved(!c.state().name().equals(before.getString("state")),
                                        c.since()))
                                .defaultIfEmpty(new Saved(true, c.since())));
    }

    /** Enforcement's BLOCK step: the device loses access to PHI until it is compliant again. */
    Mono<Void> blocked(String orgId, String deviceId, boolean blocked) {
        return Mono.from(current.updateOne(and(eq("_id", deviceId), eq("orgId", orgId)),
                Updates.set("blocked", blocked), new UpdateOptions().upsert(true))).then();
    }

    Mono<Void> append(String orgId, String deviceId, ComplianceReport r) {
        return Mono.from(reports.insertOne(new Document("_id", r.id() == null ? UUID.randomUUID().toString() : r.id())
                .append("orgId", orgId).append("deviceId", deviceId).append("at", Documents.date(r.at()))
                .append("state", r.state().name()).append("reasons", r.reasons().stream().map(Document::new).toList())
                .append("evidence", new Document(r.evidence())).append("policyVersion", r.policyVersion())
                .append("osVersion", r.osVersion()).append("securityPatchLevel", r.securityPatchLevel()))).then();
    }

    Flux<ComplianceReport> history(String orgId, String deviceId, int limit) {
        return Flux.from(reports.find(and(eq("orgId", orgId), eq("deviceId", deviceId)))
                .sort(Sorts.descending("at")).limit(limit)).map(d -> new ComplianceReport(d.getString("_id"),
                Documents.instant(d.getDate("at")), ComplianceState.valueOf(d.getString("state")),
                maps(d.getList("reasons", Document.class)), d.get("evidence", Document.class),
                d.getString("policyVersion"), d.getString("osVersion"), d.getString("securityPatchLevel")));
    }

    private Current toCurrent(Document d) {
        if (d.getString("state") == null) {
            return null;
        }
        return new Current(d.getString("_id"), d.getString("orgId"), ComplianceState.valueOf(d.getString("state")),
                maps(d.getList("reasons", Document.class)), Documents.instant(d.getDate("since")),
                Documents.instant(d.getDate("lastReportAt")), d.getString("evidenceStrength"),
                d.getString("policyVersion"), Boolean.TRUE.equals(d.getBoolean("blocked")));
    }

    private static List<Map<String, Object>> maps(List<Document> docs) {
        return docs == null ? List.of() : docs.stream().map(d -> (Map<String, Object>) new java.util.LinkedHashMap<>(d))
                .toList();
    }
}
