package org.wardfleet.policy.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Policies, their immutable versions, assignments and each organisation's policy generation. Without transactions:
 * a version is claimed by inserting {@code <policyId>:<n>} (unique {@code _id}); the generation is bumped after the
 * data it announces is written, so a reader that sees a new generation also sees the new data.
 */
@Component
class PolicyRepository implements IndexedCollection {

    private final MongoCollection<Document> policies;
    private final MongoCollection<Document> versions;
    private final MongoCollection<Document> assignments;
    private final MongoCollection<Document> orgState;

    PolicyRepository(MongoDatabase db) {
        this.policies = db.getCollection("policies");
        this.versions = db.getCollection("policy_versions");
        this.assignments = db.getCollection("policy_assignments");
        this.orgState = db.getCollection("policy_org_state");
    }

    @Override
    public Publisher<?> createIndexes() {
        return Flux.concat(
                policies.createIndex(Indexes.ascending("orgId", "name"), new IndexOptions().unique(true)),
                assignments.createIndex(Indexes.ascending("orgId", "policyId", "targetType", "target"),
                        new IndexOptions().unique(true)));
    }

    record StoredPolicy(String id, String orgId, String name, int latestVersion, Integer publishedVersion,
            String source, Instant createdAt) {
    }

    record StoredVersion(String policyId, String orgId, int version, String name, String description,
            String settingsJson, String sourceText, String hash, Instant createdAt, String createdBy,
            Instant publishedAt) {
    }

    record StoredAssignment(String id, String orgId, String policyId, String targetType, String target, int priority,
            Instant createdAt) {
    }

    // ---- policies

    /** Creates the policy, or returns the existing one of that name (a new document is then a new version). */
    Mono<StoredPolicy> createOrFind(String orgId, String name, String source, Instant now) {
        Document doc = new Document("_id", UUID.randomUUID().toString()).append("orgId", orgId).append("name", name)
                .append("latestVersion", 0).append("publishedVersion", null).append("source", source)
                .append("createdAt", Documents.date(now));
        return Mono.from(policies.insertOne(doc)).thenReturn(toPolicy(doc))
                .onErrorResume(Documents::isDuplicateKey, taken -> findByName(orgId, name));
    }

    Mono<StoredPolicy> find(String orgId, String policyId) {
        return Mono.from(policies.find(and(eq("orgId", orgId), eq("_id", policyId))).first()).map(this::toPolicy);
    }

    Mono<StoredPolicy> findByName(String orgId, String name) {
        return Mono.from(policies.find(and(eq("orgId", orgId), eq("name", name))).first()).map(this::toPolicy);
    }

    Flux<StoredPolicy> list(String orgId) {
        return Flux.from(policies.find(eq("orgId", orgId)).sort(Sorts.ascending("name"))).map(this::toPolicy);
    }

    Mono<Void> advanceLatest(String orgId, String policyId, int version) {
        return Mono.from(policies.updateOne(and(eq("orgId", orgId), eq("_id", policyId)),
                Updates.max("latestVersion", version))).then();
    }

    Mono<StoredPolicy> markPublished(String orgId, String policyId, int version) {
        return Mono.from(policies.findOneAndUpdate(and(eq("orgId", orgId), eq("_id", policyId)),
                        Updates.set("publishedVersion", version),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(this::toPolicy);
    }

    // ---- versions (immutable once written)

    Mono<StoredVersion> insertVersion(StoredVersion v) {
        Document doc = new Document("_id", v.policyId() + ":" + v.version()).append("orgId", v.orgId())
                .append("policyId", v.policyId()).append("version", v.version()).append("name", v.name())
                .append("description", v.description()).append("settingsJson", v.settingsJson())
                .append("sourceText", v.sourceText()).append("hash", v.hash())
                .append("createdAt", Documents.date(v.createdAt())).append("createdBy", v.createdBy());
        return Mono.from(versions.insertOne(doc)).thenReturn(v);
    }

    Mono<StoredVersion> version(String orgId, String policyId, int version) {
        return Mono.from(versions.find(and(eq("orgId", orgId), eq("_id", policyId + ":" + version))).first())
                .map(this::toVersion);
    }

    /** The first publication time is kept: publishing an old version again does not rewrite history. */
    Mono<Void> stampPublished(String orgId, String policyId, int version, Instant at) {
        return Mono.from(versions.updateOne(and(eq("orgId", orgId), eq("_id", policyId + ":" + version),
                eq("publishedAt", null)), Updates.set("publishedAt", Documents.date(at)))).then();
    }

    Flux<StoredVersion> versions(String orgId, String policyId) {
        return Flux.from(versions.find(and(eq("orgId", orgId), eq("policyId", policyId)))
                .projection(new Document("sourceText", 0)).sort(Sorts.ascending("version"))).map(this::toVersion);
    }

    Flux<StoredVersion> versionsById(String orgId, Collection<String> versionIds) {
        return Flux.from(versions.find(and(eq("orgId", orgId), in("_id", versionIds)))
                .projection(new Document("sourceText", 0))).map(this::toVersion);
    }

    // ---- assignments

    Mono<StoredAssignment> insertAssignment(StoredAssignment a) {
        return Mono.from(assignments.insertOne(new Document("_id", a.id()).append("orgId", a.orgId())
                .append("policyId", a.policyId()).append("targetType", a.targetType()).append("target", a.target())
                .append("priority", a.priority()).append("createdAt", Documents.date(a.createdAt())))).thenReturn(a);
    }

    Mono<StoredAssignment> assignment(String orgId, String policyId, String targetType, String target) {
        return Mono.from(assignments.find(and(eq("orgId", orgId), eq("policyId", policyId),
                eq("targetType", targetType), eq("target", target))).first()).map(this::toAssignment);
    }

    Flux<StoredAssignment> assignments(String orgId) {
        return Flux.from(assignments.find(eq("orgId", orgId))).map(this::toAssignment);
    }

    Flux<StoredAssignment> assignments(String orgId, String policyId) {
        return Flux.from(assignments.find(and(eq("orgId", orgId), eq("policyId", policyId)))
                .sort(Sorts.descending("priority"))).map(this::toAssignment);
    }

    Mono<Boolean> deleteAssignment(String orgId, String policyId, String assignmentId) {
        return Mono.from(assignments.deleteOne(and(eq("orgId", orgId), eq("policyId", policyId),
                eq("_id", assignmentId)))).map(r -> r.getDeletedCount() > 0);
    }

    // ---- the organisation's policy generation

    /** 0 when nothing was ever published or assigned. */
    Mono<Long> generation(String orgId) {
        return Mono.from(orgState.find(eq("_id", orgId)).first())
                .map(d -> ((Number) d.getOrDefault("generation", 0L)).longValue())
                .defaultIfEmpty(0L);
    }

    Mono<Long> bumpGeneration(String orgId) {
        return Mono.from(orgState.findOneAndUpdate(eq("_id", orgId), Updates.inc("generation", 1L),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .map(d -> ((Number) d.get("generation")).longValue());
    }

    /** Whether this organisation still needs the shipped baselines; claims the job (only one caller gets true). */
    Mono<Boolean> claimBaselineInstall(String orgId, Instant now) {
        return Mono.from(orgState.findOneAndUpdate(and(eq("_id", orgId), eq("baselinesClaimedAt", null)),
                        Updates.combine(Updates.set("baselinesClaimedAt", Documents.date(now)),
                                Updates.setOnInsert("generation", 0L)),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
                .map(d -> true)
                .onErrorResume(Documents::isDuplicateKey, taken -> Mono.just(false))
                .defaultIfEmpty(false);
    }

    Mono<Boolean> baselinesClaimed(String orgId) {
        return Mono.from(orgState.find(and(eq("_id", orgId), com.mongodb.client.model.Filters.exists("baselinesClaimedAt"))).first())
                .map(d -> true).defaultIfEmpty(false);
    }

    private StoredPolicy toPolicy(Document d) {
        return new StoredPolicy(d.getString("_id"), d.getString("orgId"), d.getString("name"),
                d.getInteger("latestVersion", 0), d.getInteger("publishedVersion"), d.getString("source"),
                Documents.instant(d.getDate("createdAt")));
    }

    private StoredVersion toVersion(Document d) {
        return new StoredVersion(d.getString("policyId"), d.getString("orgId"), d.getInteger("version"),
                d.getString("name"), d.getString("description"), d.getString("settingsJson"),
                d.getString("sourceText"), d.getString("hash"), Documents.instant(d.getDate("createdAt")),
                d.getString("createdBy"), Documents.instant(d.getDate("publishedAt")));
    }

    private StoredAssignment toAssignment(Document d) {
        return new StoredAssignment(d.getString("_id"), d.getString("orgId"), d.getString("policyId"),
                d.getString("targetType"), d.getString("target"), d.getInteger("priority", 0),
                Documents.instant(d.getDate("createdAt")));
    }

    static List<String> versionIds(Collection<StoredPolicy> published) {
        return published.stream().filter(p -> p.publishedVersion() != null)
                .map(p -> p.id() + ":" + p.publishedVersion()).toList();
    }
}
