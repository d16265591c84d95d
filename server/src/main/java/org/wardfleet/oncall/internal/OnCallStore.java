package org.wardfleet.oncall.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.oncall.OnCallProblems;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.time.JobFailures;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/**
 * On-call roles ({@code oncall_roles}) and their overrides and leave ({@code oncall_covers}). A stored role that cannot
 * be read (a corrupt zone or start) is skipped by every listing — logged and counted under
 * {@code wardfleet.jobs.failures{job="oncall-roles-read"}} — and is a {@code rota-unusable} problem when asked for by id.
 */
@Component
class OnCallStore {

    static final String UNREADABLE = "oncall-roles-read";

    private final MongoCollection<Document> roles;
    private final MongoCollection<Document> covers;
    private final JobFailures failures;

    OnCallStore(MongoDatabase db, JobFailures failures) {
        this.roles = db.getCollection("oncall_roles");
        this.covers = db.getCollection("oncall_covers");
        this.failures = failures;
    }

    record Role(String id, String orgId, String name, ZoneId zone, List<String> owners, Rota rota,
            String escalationPolicyId) {
    }

    record StoredCover(String id, String roleId, String kind, String userId, Instant from, Instant to) {
    }

    Mono<Role> insert(Role r) {
        return Mono.from(roles.insertOne(new Document("_id", r.id()).append("orgId", r.orgId())
                .append("name", r.name()).append("timeZone", r.zone().getId()).append("owners", r.owners())
                .append("participants", r.rota().participants()).append("start", r.rota().start().toString())
                .append("shift", r.rota().shift()).append("escalationPolicyId", r.escalationPolicyId())))
                .thenReturn(r);
    }

    Mono<Role> replaceRota(String orgId, String id, Rota rota) {
        return Mono.from(roles.updateOne(and(eq("_id", id), eq("orgId", orgId)), com.mongodb.client.model.Updates
                        .combine(com.mongodb.client.model.Updates.set("participants", rota.participants()),
                                com.mongodb.client.model.Updates.set("start", rota.start().toString()),
                                com.mongodb.client.model.Updates.set("shift", rota.shift()))))
                .then(role(orgId, id));
    }

    /** The role's escalation policy (null: the defaults by priority); the caller has checked that it exists. */
    Mono<Role> escalationPolicy(String orgId, String id, String policyId) {
        return Mono.from(roles.updateOne(and(eq("_id", id), eq("orgId", orgId)),
                        com.mongodb.client.model.Updates.set("escalationPolicyId", policyId)))
                .then(role(orgId, id));
    }

    Mono<Role> role(String orgId, String id) {
        return Mono.from(roles.find(and(eq("_id", id), eq("orgId", orgId))).first()).map(d -> {
            try {
                return toRole(d);
            } catch (RuntimeException e) {
                throw OnCallProblems.ROTA_UNUSABLE.exception("On-call role %s is stored in a form that cannot be "
                        + "read (%s)", id, e.getClass().getSimpleName());
            }
        });
    }

    /** Every organisation's roles (the gap check runs across all of them). */
    Flux<Role> allRoles() {
        return Flux.from(roles.find()).handle(this::readable);
    }

    Flux<Role> roles(String orgId) {
        return Flux.from(roles.find(eq("orgId", orgId)).sort(Sorts.ascending("name"))).handle(this::readable);
    }

    /** One unreadable role must not hide its organisation's other roles (nor every other organisation's). */
    private void readable(Document d, SynchronousSink<Role> sink) {
        try {
            sink.next(toRole(d));
        } catch (RuntimeException e) {
            failures.failed(UNREADABLE, "role " + d.get("_id"), e);
        }
    }

    Mono<StoredCover> insert(String orgId, StoredCover c) {
        return Mono.from(covers.insertOne(new Document("_id", c.id()).append("orgId", orgId)
                .append("roleId", c.roleId()).append("kind", c.kind()).append("userId", c.userId())
                .append("from", Documents.date(c.from())).append("to", Documents.date(c.to()))
                .append("createdAt", new java.util.Date()))).thenReturn(c);
    }

    /** One override or leave of a role. */
    Mono<StoredCover> cover(String orgId, String roleId, String id) {
        return Mono.from(covers.find(and(eq("_id", id), eq("orgId", orgId), eq("roleId", roleId))).first())
                .map(OnCallStore::toCover);
    }

    /**
     * New person and times for a cover (its kind stays); empty when there is no such cover. A changed cover counts as
     * the newest: where overrides overlap, the latest decision wins.
     */
    Mono<StoredCover> replace(String orgId, StoredCover c) {
        return Mono.from(covers.updateOne(and(eq("_id", c.id()), eq("orgId", orgId), eq("roleId", c.roleId())),
                        com.mongodb.client.model.Updates.combine(
                                com.mongodb.client.model.Updates.set("userId", c.userId()),
                                com.mongodb.client.model.Updates.set("from", Documents.date(c.from())),
                                com.mongodb.client.model.Updates.set("to", Documents.date(c.to())),
                                com.mongodb.client.model.Updates.set("createdAt", new java.util.Date()))))
                .filter(r -> r.getMatchedCount() == 1)
                .map(r -> c);
    }

    Mono<Boolean> delete(String orgId, String roleId, String coverId) {
        return Mono.from(covers.deleteOne(and(eq("_id", coverId), eq("orgId", orgId), eq("roleId", roleId))))
                .map(r -> r.getDeletedCount() == 1);
    }

    /** The role's owners (ADMIN only); the caller has checked they are active users. */
    Mono<Role> owners(String orgId, String id, List<String> owners) {
        return Mono.from(roles.updateOne(and(eq("_id", id), eq("orgId", orgId)),
                        com.mongodb.client.model.Updates.set("owners", owners)))
                .then(role(orgId, id));
    }

    /** Covers of a role overlapping [from, to), oldest first (a later override wins). */
    Flux<StoredCover> covers(String orgId, String roleId, Instant from, Instant to) {
        return Flux.from(covers.find(and(eq("orgId", orgId), eq("roleId", roleId), lt("from", Documents.date(to)),
                        gt("to", Documents.date(from)))).sort(Sorts.ascending("createdAt")))
                .map(OnCallStore::toCover);
    }

    private static StoredCover toCover(Document d) {
        return new StoredCover(d.getString("_id"), d.getString("roleId"), d.getString("kind"), d.getString("userId"),
                Documents.instant(d.getDate("from")), Documents.instant(d.getDate("to")));
    }

    private static Role toRole(Document d) {
        ZoneId zone = ZoneId.of(d.getString("timeZone"));
        return new Role(d.getString("_id"), d.getString("orgId"), d.getString("name"), zone,
                d.getList("owners", String.class), new Rota(d.getList("participants", String.class),
                LocalDateTime.parse(d.getString("start")), d.getString("shift"), zone),
                d.getString("escalationPolicyId"));
    }
}
