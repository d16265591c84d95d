package org.wardfleet.device.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.device.DeviceEvent;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What happened to each device, for the device page, kept inside the device's own document (the newest
 * {@value #KEPT} events): one write per event, and none extra at enrollment. The audit log is the tamper-evident
 * record; this is the readable story, and it holds no personal data.
 */
@Component
class DeviceTimeline {

    static final int KEPT = 200;

    private final MongoCollection<Document> devices;
    private final Clock clock;

    DeviceTimeline(MongoDatabase db, Clock clock) {
        this.devices = db.getCollection("devices");
        this.clock = clock;
    }

    /** The first event, written with the device document itself. */
    Document first(String type, String detail) {
        return event(type, detail);
    }

    Mono<Void> record(String orgId, String deviceId, String type, String detail) {
        return Mono.from(devices.updateOne(and(eq("orgId", orgId), eq("_id", deviceId)),
                Updates.pushEach("timeline", List.of(event(type, detail)), new PushOptions().slice(-KEPT)))).then();
    }

    /** Newest first. */
    Flux<DeviceEvent> of(String orgId, String deviceId) {
        return Mono.from(devices.find(and(eq("orgId", orgId), eq("_id", deviceId)))
                        .projection(Projections.include("timeline")).first())
                .flatMapIterable(d -> {
                    List<DeviceEvent> events = new ArrayList<>();
                    for (Document e : d.getList("timeline", Document.class, List.of())) {
                        events.add(new DeviceEvent(Documents.instant(e.getDate("at")), e.getString("type"),
                                e.getString("detail")));
                    }
                    Collections.reverse(events);
                    return events;
                });
    }

    private Document event(String type, String detail) {
        return new Document("at", Documents.date(clock.instant())).append("type", type).append("detail", detail);
    }
}
