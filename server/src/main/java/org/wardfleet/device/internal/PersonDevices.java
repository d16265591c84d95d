package org.wardfleet.device.internal;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;

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
 * Which devices were ever assigned to a person: one document per person, {@code {_id: "<orgId>/<userId>", orgId,
 * userId, devices: [ids]}}, so that "the devices of these people" — every page — is a lookup by the unique {@code _id}
 * instead of a query on {@code assignedUserId}, which the embedded server answers by reading every device (it has no
 * non-unique indexes). There are no transactions, so the list is a superset and never the truth: a device's id is added
 * <em>before</em> the device is stored (a crash between the two leaves an id that names nothing), ids are never taken
 * out (a retired device stays listed), and the reader checks every device it reads — organisation, assigned user,
 * state — and falls back to the query for a person the list gives no usable device (see
 * {@link DeviceRegistry#reachableForAll}).
 */
@Component
class PersonDevices {

    private final MongoCollection<Document> people;

    PersonDevices(MongoDatabase db) {
        this.people = db.getCollection("person_devices");
    }

    static String key(String orgId, String userId) {
        // the organisation is checked again on read: a '/' in an id must not let one tenant's key name another's
        return orgId + "/" + userId;
    }

    /**
     * Before the device itself is written: the list may name a device that never came to exist, never the reverse.
     * True when this created the person's list (a person enrolled before the lists existed may have other devices).
     */
    Mono<Boolean> add(String orgId, String userId, String deviceId) {
        return Mono.from(people.updateOne(eq("_id", key(orgId, userId)), update(orgId, userId, List.of(deviceId)),
                new UpdateOptions().upsert(true))).map(r -> r.getUpsertedId() != null);
    }

    /** Set once every device stored before the lists existed has been listed ({@link PersonDeviceBackfill}). */
    private static final String BACKFILLED = "#backfilled";

    private volatile boolean backfilled;

    Mono<Boolean> backfilled() {
        return backfilled ? Mono.just(true)
                : Mono.from(people.find(eq("_id", BACKFILLED)).first()).map(d -> backfilled = true).defaultIfEmpty(false);
    }

    Mono<Void> markBackfilled() {
        return Mono.from(people.updateOne(eq("_id", BACKFILLED), Updates.set("at", new java.util.Date()),
                new UpdateOptions().upsert(true))).doOnSuccess(r -> backfilled = true).then();
    }

    /** A device and the person it is assigned to. */
    record Owner(String orgId, String deviceId, String userId) {

        static Owner of(Device device) {
            return new Owner(device.orgId(), device.id(), device.assignedUserId());
        }
    }

    /** Lists devices found otherwise (the fallback query, the backfill): one round trip. */
    Mono<Void> addAll(Collection<Owner> owners) {
        Map<String, List<Owner>> byPerson = new HashMap<>();
        owners.forEach(o -> byPerson.computeIfAbsent(key(o.orgId(), o.userId()), k -> new ArrayList<>()).add(o));
        List<WriteModel<Document>> writes = byPerson.entrySet().stream()
                .<WriteModel<Document>>map(e -> {
                    Owner first = e.getValue().get(0);
                    return new UpdateOneModel<>(eq("_id", e.getKey()), update(first.orgId(), first.userId(),
                            e.getValue().stream().map(Owner::deviceId).toList()), new UpdateOptions().upsert(true));
                })
                .toList();
        return writes.isEmpty() ? Mono.empty()
                : Mono.from(people.bulkWrite(writes, new BulkWriteOptions().ordered(false))).then();
    }

    /** Each person's listed device ids (people without a list are left out): one lookup by {@code _id}. */
    Mono<Map<String, List<String>>> listed(String orgId, Collection<String> userIds) {
        List<String> keys = userIds.stream().map(u -> key(orgId, u)).toList();
        return Flux.from(people.find(in("_id", keys)))
                .filter(d -> orgId.equals(d.getString("orgId")))
                .collectMap(d -> d.getString("userId"), d -> d.getList("devices", String.class, List.of()));
    }

    private static org.bson.conversions.Bson update(String orgId, String userId, List<String> deviceIds) {
        return Updates.combine(Updates.setOnInsert("orgId", orgId), Updates.setOnInsert("userId", userId),
                Updates.addEachToSet("devices", deviceIds));
    }
}
