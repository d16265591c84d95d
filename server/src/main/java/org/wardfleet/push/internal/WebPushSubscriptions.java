package org.wardfleet.push.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Browsers' Web Push subscriptions ({@code web_push_subscriptions}), one per endpoint: the endpoint is unique (a
 * browser profile has one per server), so when another person signs in on the same browser and subscribes, the
 * subscription moves to them and the previous person's pages stop appearing there.
 */
@Component
class WebPushSubscriptions implements IndexedCollection {

    record Subscription(String id, String orgId, String userId, String endpoint, String p256dh, String auth,
            Instant createdAt) {
    }

    private final MongoCollection<Document> subscriptions;
    private final Clock clock;

    WebPushSubscriptions(MongoDatabase db, Clock clock) {
        this.subscriptions = db.getCollection("web_push_subscriptions");
        this.clock = clock;
    }

    @Override
    public Publisher<?> createIndexes() {
        return subscriptions.createIndex(Indexes.ascending("endpoint"), new IndexOptions().unique(true));
    }

    Mono<Long> count(String orgId, String userId) {
        return Mono.from(subscriptions.countDocuments(and(eq("orgId", orgId), eq("userId", userId))));
    }

    Mono<Subscription> byEndpoint(String endpoint) {
        return Mono.from(subscriptions.find(eq("endpoint", endpoint)).first()).map(WebPushSubscriptions::of);
    }

    /** Stores the subscription, or takes over the one with the same endpoint (same browser, new person or keys). */
    Mono<Subscription> save(String orgId, String userId, String endpoint, String p256dh, String auth) {
        Document doc = new Document("orgId", orgId).append("userId", userId).append("endpoint", endpoint)
                .append("p256dh", p256dh).append("auth", auth).append("createdAt", Documents.date(clock.instant()));
        return Mono.from(subscriptions.findOneAndReplace(eq("endpoint", endpoint), doc,
                        new FindOneAndReplaceOptions().returnDocument(ReturnDocument.AFTER)))
                .switchIfEmpty(Mono.defer(() -> {
                    Document fresh = new Document("_id", UUID.randomUUID().toString()).append("orgId", orgId)
                            .append("userId", userId).append("endpoint", endpoint).append("p256dh", p256dh)
                            .append("auth", auth).append("createdAt", doc.get("createdAt"));
                    return Mono.from(subscriptions.insertOne(fresh)).thenReturn(fresh)
                            // subscribed twice at once: the other request's document wins, then is replaced
                            .onErrorResume(Documents::isDuplicateKey, e -> Mono.from(subscriptions
                                    .findOneAndReplace(eq("endpoint", endpoint), doc,
                                            new FindOneAndReplaceOptions().returnDocument(ReturnDocument.AFTER))));
                }))
                .map(WebPushSubscriptions::of);
    }

    /** Everyone's subscriptions among {@code userIds}, in this organisation only. */
    Flux<Subscription> forUsers(String orgId, Collection<String> userIds) {
        return Flux.from(subscriptions.find(and(eq("orgId", orgId), in("userId", List.copyOf(userIds)))))
                .map(WebPushSubscriptions::of);
    }

    /** Removes one of this person's subscriptions; false when they have none with this id. */
    Mono<Boolean> delete(String orgId, String userId, String id) {
        return Mono.from(subscriptions.deleteOne(and(eq("_id", id), eq("orgId", orgId), eq("userId", userId))))
                .map(r -> r.getDeletedCount() == 1);
    }

    /** The push service says the subscription is gone (404/410): delete that one, not a newer one for the endpoint. */
    Mono<Void> gone(Subscription s) {
        return Mono.from(subscriptions.deleteOne(and(eq("_id", s.id()), eq("orgId", s.orgId()),
                eq("endpoint", s.endpoint())))).then();
    }

    private static Subscription of(Document d) {
        return new Subscription(d.getString("_id"), d.getString("orgId"), d.getString("userId"),
                d.getString("endpoint"), d.getString("p256dh"), d.getString("auth"),
                Documents.instant(d.getDate("createdAt")));
    }
}
