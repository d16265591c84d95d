package org.wardfleet.device.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceQuery;
import org.wardfleet.device.DeviceState;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.mongo.IndexedCollection;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The device inventory. Lookups by credential use the unique {@code _id}; everything else names the organisation. */
@Component
class DeviceRepository implements IndexedCollection {

    private final MongoCollection<Document> devices;

    DeviceRepository(MongoDatabase db) {
        this.devices = db.getCollection("devices");
    }

    /**
     * The list's two orders have their own indexes on MongoDB (equality on {@code orgId}, then the sort). The embedded
     * server builds no non-unique index: there a page reads the organisation's devices, keeps the best
     * {@code skip + limit} (platform {@code EmbeddedSort}) and answers 50 of 10,000 in 25-60 ms.
     */
    @Override
    public Publisher<?> createIndexes() {
        return Flux.concat(
                devices.createIndex(Indexes.ascending("certificateSerial"), new IndexOptions().unique(true)),
                devices.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId"), Indexes.descending("enrolledAt"),
                        Indexes.ascending("_id"))),
                devices.createIndex(Indexes.compoundIndex(Indexes.ascending("orgId"), Indexes.descending("lastSeenAt"),
                        Indexes.ascending("_id"))));
    }

    /** A new device with the first entry of its timeline. */
    Mono<Void> insert(Device device, Document firstEvent) {
        return Mono.from(devices.insertOne(DeviceDocuments.toDocument(device)
                .append("timeline", List.of(firstEvent)))).then();
    }

    Mono<Device> find(String orgId, String id) {
        return Mono.from(devices.find(and(eq("orgId", orgId), eq("_id", id))).first()).map(DeviceDocuments::toDevice);
    }

    /** Authentication only: the device id comes from a credential; its organisation comes from the stored record. */
    Mono<Device> findForAuthentication(String id) {
        return Mono.from(devices.find(eq("_id", id)).first()).map(DeviceDocuments::toDevice);
    }

    /**
     * A {@link DeviceQuery} as stored: {@code onlyUser} for a clinician (their own devices only); {@code textUsers}
     * the users whose name or email matched the query's text.
     */
    record Query(DeviceQuery query, String onlyUser, java.util.Collection<String> textUsers) {
    }

    /** One page of the query and how many match in all. */
    Mono<reactor.util.function.Tuple2<List<Device>, Long>> page(String orgId, Query query) {
        Set<String> ids = query.query().ids();
        return ids != null && ids.size() > LONG_ID_LIST ? pageOfMany(orgId, query)
                : list(orgId, query).collectList().zipWith(count(orgId, query));
    }

    /** Longer lists of ids than this are matched here rather than sent to the database (see {@link #pageOfMany}). */
    static final int LONG_ID_LIST = 256;

    Flux<Device> list(String orgId, Query query) {
        DeviceQuery q = query.query();
        return Flux.from(devices.find(filter(orgId, query)).sort(order(q)).skip((int) q.offset()).limit(q.size())
                .projection(Projections.exclude("timeline"))).map(DeviceDocuments::toDevice);
    }

    /**
     * A page limited to thousands of ids (e.g. every non-compliant device): a list that long, sent as {@code $in} to a
     * query and to its count, cost seconds on the embedded store. Instead the other filters select the candidates'
     * ids and sort keys only, the ids and the order are applied here, and the page's devices are read by id.
     */
    private Mono<reactor.util.function.Tuple2<List<Device>, Long>> pageOfMany(String orgId, Query query) {
        DeviceQuery q = query.query();
        String key = sortKey(q);
        Query others = new Query(new DeviceQuery(q.state(), q.ownership(), q.platform(), q.group(), q.text(),
                q.assignedUserId(), q.lastSeenAfter(), q.lastSeenBefore(), null, q.sort(), 0, 1), query.onlyUser(),
                query.textUsers());
        return Flux.from(devices.find(filter(orgId, others)).projection(Projections.include("_id", key)))
                .filter(d -> q.ids().contains(d.getString("_id")))
                .collectList()
                .flatMap(candidates -> {
                    candidates.sort(java.util.Comparator.<Document, java.util.Date>comparing(d -> d.getDate(key),
                            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())).reversed()
                            .thenComparing(d -> d.getString("_id")));
                    List<String> pageIds = candidates.stream().skip(q.offset()).limit(q.size())
                            .map(d -> d.getString("_id")).toList();
                    return findAll(orgId, pageIds).collectMap(Device::id)
                            .map(found -> pageIds.stream().map(found::get).filter(java.util.Objects::nonNull).toList())
                            .map(items -> reactor.util.function.Tuples.of(items, (long) candidates.size()));
                });
    }

    private static Bson order(DeviceQuery q) {
        return Sorts.orderBy(Sorts.descending(sortKey(q)), Sorts.ascending("_id"));
    }

    private static String sortKey(DeviceQuery q) {
        return q.sort() == DeviceQuery.Sort.LAST_SEEN ? "lastSeenAt" : "enrolledAt";
    }

    Flux<Device> reachable(String orgId) {
        return Flux.from(devices.find(and(eq("orgId", orgId),
                        in("state", List.of(DeviceState.ACTIVE.name(), DeviceState.QUARANTINED.name()))))
                .projection(Projections.exclude("timeline"))).map(DeviceDocuments::toDevice);
    }

    Flux<Device> findAll(String orgId, java.util.Collection<String> ids) {
        return Flux.from(devices.find(and(eq("orgId", orgId), in("_id", ids)))
                .projection(Projections.exclude("timeline"))).map(DeviceDocuments::toDevice);
    }

    Flux<Device> reachableFor(String orgId, String userId) {
        return Flux.from(devices.find(and(eq("orgId", orgId), eq("assignedUserId", userId),
                        in("state", List.of(DeviceState.ACTIVE.name(), DeviceState.QUARANTINED.name()))))
                .projection(Projections.exclude("timeline"))).map(DeviceDocuments::toDevice);
    }

    Flux<Device> reachableForAny(String orgId, List<String> userIds) {
        return Flux.from(devices.find(and(eq("orgId", orgId), in("assignedUserId", userIds),
                        in("state", List.of(DeviceState.ACTIVE.name(), DeviceState.QUARANTINED.name()))))
                .projection(Projections.exclude("timeline"))).map(DeviceDocuments::toDevice);
    }

    /** Every device assigned to a person, all organisations, ids only ({@link PersonDeviceBackfill}). */
    Flux<PersonDevices.Owner> assigned() {
        return Flux.from(devices.find(com.mongodb.client.model.Filters.ne("assignedUserId", null))
                        .projection(Projections.include("_id", "orgId", "assignedUserId")))
                .map(d -> new PersonDevices.Owner(d.getString("orgId"), d.getString("_id"),
                        d.getString("assignedUserId")));
    }

    Mono<Void> pullPushToken(String orgId, String id, String token) {
        return Mono.from(devices.updateOne(and(eq("orgId", orgId), eq("_id", id)), Updates.pull("pushTokens", token)))
                .then();
    }

    Mono<Long> count(String orgId, Query query) {
        return Mono.from(devices.countDocuments(filter(orgId, query)));
    }

    Mono<Device> checkIn(String orgId, String id, Instant at, Bson inventory) {
        return Mono.from(devices.findOneAndUpdate(and(eq("orgId", orgId), eq("_id", id)),
                        Updates.combine(Updates.set("lastSeenAt", Documents.date(at)), inventory),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(DeviceDocuments::toDevice);
    }

    /** Moves the state only from one of {@code from}: retiring twice, or reviving a wiped device, matches nothing. */
    Mono<Device> transition(String orgId, String id, List<DeviceState> from, DeviceState to) {
        return Mono.from(devices.findOneAndUpdate(
                        and(eq("orgId", orgId), eq("_id", id), in("state", from.stream().map(Enum::name).toList())),
                        Updates.set("state", to.name()),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(DeviceDocuments::toDevice);
    }

    /**
     * The assigned user binds the device: only their own, while it still takes instructions, once (the condition is
     * the claim, so two approvals at once bind it once). Empty when nothing matched.
     */
    Mono<Device> bindToUser(String orgId, String id, String userId, Instant at) {
        return Mono.from(devices.findOneAndUpdate(and(eq("orgId", orgId), eq("_id", id), eq("assignedUserId", userId),
                                in("state", List.of(DeviceState.ACTIVE.name(), DeviceState.QUARANTINED.name())),
                                eq("userBoundAt", null)),
                        Updates.set("userBoundAt", Documents.date(at)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)
                                .projection(Projections.exclude("timeline"))))
                .map(DeviceDocuments::toDevice);
    }

    Mono<Device> replaceCertificate(String orgId, String id, String serial, Instant notAfter, String publicKey) {
        return Mono.from(devices.findOneAndUpdate(and(eq("orgId", orgId), eq("_id", id)),
                        Updates.combine(Updates.set("certificateSerial", serial),
                                Updates.set("certificateNotAfter", Documents.date(notAfter)),
                                Updates.set("publicKey", publicKey)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(DeviceDocuments::toDevice);
    }

    private static Bson filter(String orgId, Query query) {
        DeviceQuery q = query.query();
        List<Bson> parts = new ArrayList<>();
        parts.add(eq("orgId", orgId));
        if (q.ids() != null) {
            parts.add(in("_id", q.ids()));
        }
        if (q.state() != null) {
            parts.add(eq("state", q.state().name()));
        }
        if (q.ownership() != null) {
            parts.add(eq("ownership", q.ownership().name()));
        }
        if (q.platform() != null) {
            parts.add(eq("platform", q.platform().name()));
        }
        if (q.group() != null) {
            parts.add(eq("groups", q.group()));
        }
        if (q.assignedUserId() != null) {
            parts.add(eq("assignedUserId", q.assignedUserId()));
        }
        if (query.onlyUser() != null) {
            parts.add(eq("assignedUserId", query.onlyUser()));
        }
        if (q.lastSeenAfter() != null) {
            parts.add(gte("lastSeenAt", Documents.date(q.lastSeenAfter())));
        }
        if (q.lastSeenBefore() != null) {
            parts.add(lt("lastSeenAt", Documents.date(q.lastSeenBefore())));
        }
        if (q.text() != null) {
            // quoted: a search box is not a regex injection point
            Pattern text = Pattern.compile(Pattern.quote(q.text()), Pattern.CASE_INSENSITIVE);
            List<Bson> anyOf = new ArrayList<>(List.of(regex("model", text), regex("_id", text),
                    regex("osVersion", text), regex("certificateSerial", text), regex("hardware.serialNumber", text)));
            if (!query.textUsers().isEmpty()) {
                anyOf.add(in("assignedUserId", query.textUsers()));
            }
            parts.add(or(anyOf));
        }
        return and(parts);
    }
}
