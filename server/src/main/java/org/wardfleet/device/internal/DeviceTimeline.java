package org.wardfleet.device.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What happened to each device, newest first, for the device page. The audit log is the tamper-evident record;
 * this is the readable story (and holds no personal data).
 */
@Component
class DeviceTimeline {

    static final int MAX_EVENTS_SHOWN = 200;

    private final MongoCollection<Document> events;
    private final Clock clock;

    DeviceTimeline(MongoDatabase db, Clock clock) {
        this.events = db.getCollection("device_events");
        this.clock = clock;
    }

    record Event(Instant at, String type, String detail) {
    }

    Mono<Void> record(String orgId, String deviceId, String type, String detail) {
        return Mono.from(events.insertOne(new Document("_id", UUID.randomUUID().toString())
                .append("orgId", orgId).append("deviceId", deviceId)
                .append("at", Documents.date(clock.instant())).append("type", type).append("detail", detail)))
                .then();
    }

    Flux<Event> of(String orgId, String deviceId) {
        return Flux.from(events.find(and(eq("orgId", orgId), eq("deviceId", deviceId)))
                        .sort(Sorts.descending("at")).limit(MAX_EVENTS_SHOWN))
                .map(d -> new Event(Documents.instant(d.getDate("at")), d.getString("type"), d.getString("detail")));
    }
}
