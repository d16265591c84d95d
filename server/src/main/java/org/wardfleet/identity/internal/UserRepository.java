package org.wardfleet.identity.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;
import org.wardfleet.platform.security.Role;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Users. Email is unique across the server (it is the sign-in name); every other query names the organisation.
 */
@Component
class UserRepository implements IndexedCollection {

    private final MongoCollection<Document> users;

    UserRepository(MongoDatabase db) {
        this.users = db.getCollection("users");
    }

    @Override
    public Publisher<?> createIndexes() {
        return Flux.concat(users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true)),
                // the directory's order (MongoDB; the embedded server scans)
                users.createIndex(Indexes.ascending("orgId", "displayName")));
    }

    Mono<Void> insert(StoredUser user) {
        return Mono.from(users.insertOne(toDocument(user))).then();
    }

    /** Sign-in only: the one lookup that does not yet know the organisation. */
    Mono<StoredUser> findByEmailForSignIn(String email) {
        return Mono.from(users.find(eq("email", email)).first()).map(UserRepository::toUser);
    }

    Mono<StoredUser> findByEmail(String orgId, String email) {
        return Mono.from(users.find(and(eq("orgId", orgId), eq("email", email))).first()).map(UserRepository::toUser);
    }

    Mono<StoredUser> find(String orgId, String id) {
        return Mono.from(users.find(and(eq("orgId", orgId), eq("_id", id))).first()).map(UserRepository::toUser);
    }

    Flux<String> activeIds(String orgId) {
        return Flux.from(users.find(and(eq("orgId", orgId), com.mongodb.client.model.Filters.ne("disabled", true)))
                .projection(new org.bson.Document("_id", 1))).map(d -> d.getString("_id"));
    }

    Flux<StoredUser> list(String orgId, int page, int size) {
        return Flux.from(users.find(eq("orgId", orgId)).sort(Sorts.ascending("email")).skip(page * size).limit(size))
                .map(UserRepository::toUser);
    }

    /** Name or email containing {@code text}, any case; quoted, so a search box is no regex injection point. */
    Flux<StoredUser> matching(String orgId, String text, int limit) {
        java.util.regex.Pattern contains = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(text.trim()),
                java.util.regex.Pattern.CASE_INSENSITIVE);
        return Flux.from(users.find(and(eq("orgId", orgId), com.mongodb.client.model.Filters.or(
                        com.mongodb.client.model.Filters.regex("displayName", contains),
                        com.mongodb.client.model.Filters.regex("email", contains))))
                .sort(Sorts.ascending("email")).limit(limit)).map(UserRepository::toUser);
    }

    Mono<Long> count(String orgId) {
        return Mono.from(users.countDocuments(eq("orgId", orgId)));
    }

    /** Display names of these users of the organisation, by id: one read, answered from the {@code _id} index. */
    Mono<java.util.Map<String, String>> displayNames(String orgId, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return Mono.just(java.util.Map.of());
        }
        return Flux.from(users.find(and(in("_id", new java.util.LinkedHashSet<>(ids)), eq("orgId", orgId)))
                        .projection(Projections.include("displayName", "email")).batchSize(10_000))
                .collectMap(d -> d.getString("_id"), d -> d.getString("displayName") != null
                        && !d.getString("displayName").isBlank() ? d.getString("displayName")
                        : String.valueOf(d.getString("email")));
    }

    /**
     * Active users whose name or email contains {@code text} (any case; null: everyone), holding {@code role} when
     * given, by name. The embedded server scans the organisation's users for it (no secondary indexes); MongoDB uses
     * the {@code orgId, displayName} index for the order.
     */
    Flux<StoredUser> search(String orgId, String text, Role role, int page, int size) {
        return Flux.from(users.find(searchFilter(orgId, text, role))
                        .sort(Sorts.ascending("displayName", "_id")).skip(page * size).limit(size))
                .map(UserRepository::toUser);
    }

    Mono<Long> countSearch(String orgId, String text, Role role) {
        return Mono.from(users.countDocuments(searchFilter(orgId, text, role)));
    }

    private static Bson searchFilter(String orgId, String text, Role role) {
        List<Bson> all = new java.util.ArrayList<>(List.of(eq("orgId", orgId), ne("disabled", true)));
        if (text != null && !text.isBlank()) {
            // quoted: what a person types is matched as text, never as a pattern
            java.util.regex.Pattern contains = java.util.regex.Pattern.compile(
                    java.util.regex.Pattern.quote(text.trim()), java.util.regex.Pattern.CASE_INSENSITIVE);
            all.add(or(regex("displayName", contains), regex("email", contains)));
        }
        if (role != null) {
            all.add(eq("roles", role.name()));
        }
        return and(all);
    }

    Mono<Boolean> anyUserExists() {
        return Mono.from(users.find().limit(1).first()).hasElement();
    }

    Mono<Boolean> setDisabled(String orgId, String id, boolean disabled, Instant at) {
        var update = Updates.combine(Updates.set("disabled", disabled), Updates.set("updatedAt", Documents.date(at)),
                Updates.set("tokensValidAfter", Documents.date(at)));
        return Mono.from(users.updateOne(and(eq("orgId", orgId), eq("_id", id)), update))
                .map(r -> r.getMatchedCount() == 1);
    }

    Mono<Boolean> setRoles(String orgId, String id, java.util.Set<Role> roles, Instant at) {
        var update = Updates.combine(Updates.set("roles", roles.stream().map(Role::name).sorted().toList()),
                Updates.set("updatedAt", Documents.date(at)));
        return Mono.from(users.updateOne(and(eq("orgId", orgId), eq("_id", id)), update))
                .map(r -> r.getMatchedCount() == 1);
    }

    /** A new password also ends every token issued before it. */
    Mono<Boolean> setPassword(String orgId, String id, String hash, Instant at) {
        var update = Updates.combine(Updates.set("passwordHash", hash), Updates.set("updatedAt", Documents.date(at)),
                Updates.set("tokensValidAfter", Documents.date(at)));
        return Mono.from(users.updateOne(and(eq("orgId", orgId), eq("_id", id)), update))
                .map(r -> r.getMatchedCount() == 1);
    }

    private static Document toDocument(StoredUser u) {
        return new Document("_id", u.id())
                .append("orgId", u.orgId())
                .append("email", u.email())
                .append("displayName", u.displayName())
                .append("roles", u.roles().stream().map(Role::name).sorted().toList())
                .append("passwordHash", u.passwordHash())
                .append("disabled", u.disabled())
                .append("createdAt", Documents.date(u.createdAt()))
                .append("updatedAt", Documents.date(u.createdAt()))
                .append("tokensValidAfter", Documents.date(u.tokensValidAfter()));
    }

    private static StoredUser toUser(Document d) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : d.getList("roles", String.class, List.of())) {
            roles.add(Role.valueOf(role));
        }
        return new StoredUser(d.getString("_id"), d.getString("orgId"), d.getString("email"),
                d.getString("displayName"), roles, d.getString("passwordHash"), d.getBoolean("disabled", false),
                Documents.instant(d.getDate("createdAt")), Documents.instant(d.getDate("tokensValidAfter")));
    }
}
