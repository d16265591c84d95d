package org.wardfleet.device.internal;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.springframework.stereotype.Component;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.ActionWakeUp;
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
 * Remote actions queued per device. {@code openKey = deviceId:type} is set while an action is open and is unique
 * (sparse), so asking twice for the same action yields one action, even from two instances at once.
 */
@Component
class ActionRepository implements IndexedCollection {

    enum State { PENDING, DELIVERED, DONE, FAILED }

    /**
     * Where the action is on its way to the device, as IT sees it: WAITING (the device has not fetched it yet),
     * DELIVERED_TO_DEVICE (fetched at a check-in; for RETIRE, the device was refused as retired on a call it signed),
     * ACKNOWLEDGED_BY_DEVICE (it reported DONE or FAILED), NOT_DELIVERED (closed before the device fetched it).
     */
    enum Delivery { WAITING, DELIVERED_TO_DEVICE, ACKNOWLEDGED_BY_DEVICE, NOT_DELIVERED }

    /**
     * @param acknowledgedAt when the device reported its result (not set when Wardfleet closed the action itself)
     * @param wokenAt when the device was last woken for it; {@code wokenVia} how (STREAM, PUSH, NONE)
     */
    record Action(String id, String orgId, String deviceId, ActionType type, State state, Instant createdAt,
            String requestedBy, Instant deliveredAt, Instant completedAt, String message, Instant acknowledgedAt,
            Instant wokenAt, ActionWakeUp.Channel wokenVia) {

        /** As IT sees it (the API and the console). */
        org.wardfleet.device.DeviceAction view() {
            return new org.wardfleet.device.DeviceAction(id, type, state.name(), createdAt, deliveredAt, completedAt,
                    message, delivery().name(), acknowledgedAt, wokenAt, wokenVia == null ? null : wokenVia.name());
        }

        boolean open() {
            return state == State.PENDING || state == State.DELIVERED;
        }

        Delivery delivery() {
            if (acknowledgedAt != null) {
                return Delivery.ACKNOWLEDGED_BY_DEVICE;
            }
            if (deliveredAt != null) {
                return Delivery.DELIVERED_TO_DEVICE;
            }
            // RETIRE is DONE at once on the server; the device hears of it on its next call, if it ever calls
            return open() || type == ActionType.RETIRE ? Delivery.WAITING : Delivery.NOT_DELIVERED;
        }

        Action woken(Instant at, ActionWakeUp.Channel via) {
            return new Action(id, orgId, deviceId, type, state, createdAt, requestedBy, deliveredAt, completedAt,
                    message, acknowledgedAt, at, via);
        }
    }

    private final MongoCollection<Document> actions;

    ActionRepository(MongoDatabase db) {
        this.actions = db.getCollection("device_actions");
    }

    @Override
    public Publisher<?> createIndexes() {
        return actions.createIndex(Indexes.ascending("openKey"), new IndexOptions().unique(true).sparse(true));
    }

    static String openKey(String deviceId, ActionType type) {
        return deviceId + ":" + type.name();
    }

    Mono<Void> insert(Action a) {
        Document doc = toDocument(a);
        if (a.open()) {
            doc.append("openKey", openKey(a.deviceId(), a.type()));
        }
        return Mono.from(actions.insertOne(doc)).then();
    }

    Mono<Action> openAction(String orgId, String deviceId, ActionType type) {
        return Mono.from(actions.find(and(eq("orgId", orgId), eq("openKey", openKey(deviceId, type)))).first())
                .map(ActionRepository::toAction);
    }

    Mono<Action> find(String orgId, String deviceId, String id) {
        return Mono.from(actions.find(and(eq("orgId", orgId), eq("deviceId", deviceId), eq("_id", id))).first())
                .map(ActionRepository::toAction);
    }

    Flux<Action> open(String orgId, String deviceId) {
        return Flux.from(actions.find(and(eq("orgId", orgId), eq("deviceId", deviceId),
                        in("state", State.PENDING.name(), State.DELIVERED.name())))
                .sort(Sorts.ascending("createdAt"))).map(ActionRepository::toAction);
    }

    Flux<Action> history(String orgId, String deviceId, int limit) {
        return Flux.from(actions.find(and(eq("orgId", orgId), eq("deviceId", deviceId)))
                .sort(Sorts.descending("createdAt")).limit(limit)).map(ActionRepository::toAction);
    }

    /** Marks handed-over actions DELIVERED (one update for all of them). */
    Mono<Void> markDelivered(String orgId, List<String> ids, Instant at) {
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return Mono.from(actions.updateMany(and(eq("orgId", orgId), in("_id", ids), eq("state", State.PENDING.name())),
                Updates.combine(Updates.set("state", State.DELIVERED.name()),
                        Updates.set("deliveredAt", Documents.date(at))))).then();
    }

    /** Records a wake-up sent (or attempted) for an action. */
    Mono<Void> woken(String orgId, String id, Instant at, ActionWakeUp.Channel via) {
        return Mono.from(actions.updateOne(and(eq("orgId", orgId), eq("_id", id)), Updates.combine(
                Updates.set("wokenAt", Documents.date(at)), Updates.set("wokenVia", via.name())))).then();
    }

    /**
     * A retired device proved its key on a call and was told it is retired: its RETIRE action is delivered (once;
     * false when it already was).
     */
    Mono<Boolean> retireDelivered(String orgId, String deviceId, Instant at) {
        return Mono.from(actions.updateOne(and(eq("orgId", orgId), eq("deviceId", deviceId),
                        eq("type", ActionType.RETIRE.name()), eq("deliveredAt", null)),
                        Updates.set("deliveredAt", Documents.date(at))))
                .map(r -> r.getModifiedCount() > 0);
    }

    /** Completes an open action once (the device's report); a repeated report matches nothing and returns empty. */
    Mono<Action> complete(String orgId, String deviceId, String id, State result, String message, Instant at) {
        return Mono.from(actions.findOneAndUpdate(
                        and(eq("orgId", orgId), eq("deviceId", deviceId), eq("_id", id),
                                in("state", State.PENDING.name(), State.DELIVERED.name())),
                        Updates.combine(Updates.set("state", result.name()), Updates.set("message", message),
                                Updates.set("completedAt", Documents.date(at)),
                                Updates.set("acknowledgedAt", Documents.date(at)), Updates.unset("openKey")),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)))
                .map(ActionRepository::toAction);
    }

    /** Closes every open action of a device that can no longer act (retired, wiped). */
    Mono<Void> closeAll(String orgId, String deviceId, String message, Instant at) {
        return Mono.from(actions.updateMany(and(eq("orgId", orgId), eq("deviceId", deviceId),
                        in("state", State.PENDING.name(), State.DELIVERED.name())),
                Updates.combine(Updates.set("state", State.FAILED.name()), Updates.set("message", message),
                        Updates.set("completedAt", Documents.date(at)), Updates.unset("openKey")))).then();
    }

    private static Document toDocument(Action a) {
        return new Document("_id", a.id()).append("orgId", a.orgId()).append("deviceId", a.deviceId())
                .append("type", a.type().name()).append("state", a.state().name())
                .append("createdAt", Documents.date(a.createdAt())).append("requestedBy", a.requestedBy())
                .append("deliveredAt", Documents.date(a.deliveredAt()))
                .append("completedAt", Documents.date(a.completedAt())).append("message", a.message())
                .append("acknowledgedAt", Documents.date(a.acknowledgedAt())).append("wokenAt", Documents.date(a.wokenAt()))
                .append("wokenVia", a.wokenVia() == null ? null : a.wokenVia().name());
    }

    private static Action toAction(Document d) {
        return new Action(d.getString("_id"), d.getString("orgId"), d.getString("deviceId"),
                ActionType.valueOf(d.getString("type")), State.valueOf(d.getString("state")),
                Documents.instant(d.getDate("createdAt")), d.getString("requestedBy"),
                Documents.instant(d.getDate("deliveredAt")), Documents.instant(d.getDate("completedAt")),
                d.getString("message"), Documents.instant(d.getDate("acknowledgedAt")),
                Documents.instant(d.getDate("wokenAt")),
                d.getString("wokenVia") == null ? null : ActionWakeUp.Channel.valueOf(d.getString("wokenVia")));
    }
}
