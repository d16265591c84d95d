package org.wardfleet.enrollment.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;

import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;
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
 * Invitations. Redemption is one conditional update ({@code remaining > 0}, not expired, not revoked, then
 * {@code remaining - 1}): with no transactions, that single-document atomicity is what makes a single-use token
 * yield exactly one device when two phones race.
 */
@Component
class InvitationRepository implements IndexedCollection {

    private final MongoCollection<Document> invitations;

    InvitationRepository(MongoDatabase db) {
        this.invitations = db.getCollection("invitations");
    }

    @Override
    public Publisher<?> createIndexes() {
        return Flux.concat(invitations.createIndex(Indexes.ascending("secretHash"), new IndexOptions().unique(true)),
                // the list's order (MongoDB; the embedded server scans)
                invitations.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId"),
                        Indexes.descending("createdAt"))));
    }

    Mono<Void> insert(Invitation i) {
        return Mono.from(invitations.insertOne(new Document("_id", i.id()).append("orgId", i.orgId())
                .append("ownership", i.ownership().name()).append("platform", i.platform().name())
                .append("assignedUserId", i.assignedUserId()).append("groups", i.groups())
                .append("maxUses", i.maxUses()).append("remaining", i.remaining())
                .append("expiresAt", Documents.date(i.expiresAt())).append("secretHash", i.secretHash())
                .append("createdBy", i.createdBy()).append("createdAt", Documents.date(i.createdAt()))
                .append("revokedAt", null))).then();
    }

    Mono<Invitation> find(String orgId, String id) {
        return Mono.from(invitations.find(and(eq("orgId", orgId), eq("_id", id))).first()).map(this::toInvitation);
    }

    /** Redemption only: the secret is the credential, so its hash is the lookup. */
    Mono<Invitation> findBySecretHash(String secretHash) {
        return Mono.from(invitations.find(eq("secretHash", secretHash)).first()).map(this::toInvitation);
    }

    /** EST only: the invitation id is the HTTP Basic user name. */
    Mono<Invitation> findById(String id) {
        return Mono.from(invitations.find(eq("_id", id)).first()).map(this::toInvitation);
    }

    /** What an invitation list may be narrowed to; null fields do not narrow. {@code state} as the view computes it. */
    record Filter(String state, Ownership ownership, DevicePlatform platform, String assignedUserId, Instant now) {
    }

    /** Newest first, ties by id. A read of the organisation's invitations in embedded mode (no secondary indexes). */
    Flux<Invitation> list(String orgId, Filter filter, int page, int size) {
        return Flux.from(invitations.find(filter(orgId, filter)).sort(Sorts.descending("createdAt", "_id"))
                .skip(page * size).limit(size)).map(this::toInvitation);
    }

    Mono<Long> count(String orgId, Filter filter) {
        return Mono.from(invitations.countDocuments(filter(orgId, filter)));
    }

    private static org.bson.conversions.Bson filter(String orgId, Filter f) {
        List<org.bson.conversions.Bson> all = new java.util.ArrayList<>(List.of(eq("orgId", orgId)));
        if (f.ownership() != null) {
            all.add(eq("ownership", f.ownership().name()));
        }
        if (f.platform() != null) {
            all.add(eq("platform", f.platform().name()));
        }
        if (f.assignedUserId() != null) {
            all.add(eq("assignedUserId", f.assignedUserId()));
        }
        if (f.state() != null) {
            var now = Documents.date(f.now());
            var live = and(eq("revokedAt", null), gt("expiresAt", now));
            all.add(switch (f.state()) {
                case "REVOKED" -> com.mongodb.client.model.Filters.ne("revokedAt", null);
                case "EXPIRED" -> and(eq("revokedAt", null), com.mongodb.client.model.Filters.lte("expiresAt", now));
                case "USED" -> and(live, com.mongodb.client.model.Filters.lte("remaining", 0));
                default -> and(live, gt("remaining", 0));
            });
        }
        return and(all);
    }

    /** Takes one use, or returns empty if none is left, it expired or was revoked. */
    Mono<Invitation> consume(String id, Instant now) {
        return consume(eq("_id", id), now);
    }

    /** The same by secret: the common case (a valid token) costs one round trip. */
    Mono<Invitation> consumeBySecretHash(String secretHash, Instant now) {
        return consume(eq("secretHash", secretHash), now);
    }

    private Mono<Invitation> consume(org.bson.conversions.Bson which, Instant now) {
        return Mono.from(invitations.findOneAndUpdate(
                        and(which, gt("remaining", 0), gt("expiresAt", Documents.date(now)),
                                eq("revokedAt", null)),
                        Updates.inc("remaining", -1),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(this::toInvitation);
    }

    /** Gives a use back when enrollment failed after the use was taken (bad CSR): nothing accepted is lost. */
    Mono<Void> release(String id) {
        return Mono.from(invitations.updateOne(eq("_id", id), Updates.inc("remaining", 1))).then();
    }

    Mono<Invitation> revoke(String orgId, String id, Instant at) {
        return Mono.from(invitations.findOneAndUpdate(and(eq("orgId", orgId), eq("_id", id)),
                        Updates.set("revokedAt", Documents.date(at)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(this::toInvitation);
    }

    private Invitation toInvitation(Document d) {
        return new Invitation(d.getString("_id"), d.getString("orgId"), Ownership.valueOf(d.getString("ownership")),
                DevicePlatform.valueOf(d.getString("platform")), d.getString("assignedUserId"),
                d.getList("groups", String.class, List.of()), d.getInteger("maxUses", 1),
                d.getInteger("remaining", 0), Documents.instant(d.getDate("expiresAt")), d.getString("secretHash"),
                d.getString("createdBy"), Documents.instant(d.getDate("createdAt")),
                Documents.instant(d.getDate("revokedAt")));
    }
}
