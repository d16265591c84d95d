package org.wardfleet.push.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which instance holds each device's stream ({@code device_presence}). Entries are refreshed every heartbeat and count
 * only while fresh, so an instance that dies without cleaning up stops "holding" its devices within the timeout.
 */
@Component
class Presence {

    /** This process, among the instances sharing the database. */
    final String instanceId = UUID.randomUUID().toString();

    private final MongoCollection<Document> presence;
    private final PushProperties properties;
    private final Clock clock;

    Presence(MongoDatabase db, PushProperties properties, Clock clock) {
        this.presence = db.getCollection("device_presence");
        this.properties = properties;
        this.clock = clock;
    }

    Mono<Void> connected(String orgId, String deviceId) {
        Instant now = clock.instant();
        return Mono.from(presence.replaceOne(eq("_id", deviceId), new Document("_id", deviceId)
                .append("orgId", orgId).append("instanceId", instanceId)
                .append("connectedAt", Documents.date(now)).append("seenAt", Documents.date(now)),
                new ReplaceOptions().upsert(true))).then();
    }

    Mono<Void> heartbeat(Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return Mono.empty();
        }
        return Mono.from(presence.updateMany(and(in("_id", deviceIds), eq("instanceId", instanceId)),
                Updates.set("seenAt", Documents.date(clock.instant())))).then();
    }

    /** Only this instance's entry: the device may already have reconnected elsewhere. */
    Mono<Void> disconnected(String deviceId) {
        return Mono.from(presence.deleteOne(and(eq("_id", deviceId), eq("instanceId", instanceId)))).then();
    }

    /** Device id → instance id, for those of {@code deviceIds} with a fresh entry. */
    Mono<Map<String, String>> holders(String orgId, Collection<String> deviceIds) {
        Instant freshAfter = clock.instant().minus(properties.presenceTimeout());
        return Flux.from(presence.find(and(eq("orgId", orgId), in("_id", deviceIds),
                        gt("seenAt", Documents.date(freshAfter)))))
                .collectMap(d -> d.getString("_id"), d -> d.getString("instanceId"));
    }
}
