package org.wardfleet.compliance.internal;

import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.compliance.ComplianceSummary;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code compliance_daily}: one document per organisation and day (UTC), {@code _id = orgId:yyyy-MM-dd}, upserted by
 * each snapshot that day, so it holds the day's last counts. Read by id only (no secondary index: the embedded store
 * builds none), and never expired by the store (it has no TTL): about 365 small documents per organisation a year.
 */
@Component
class ComplianceSnapshots {

    private final MongoCollection<Document> days;

    ComplianceSnapshots(MongoDatabase db) {
        this.days = db.getCollection("compliance_daily");
    }

    Mono<Void> save(String orgId, LocalDate day, ComplianceSummary summary, Instant takenAt) {
        return Mono.from(days.updateOne(new Document("_id", id(orgId, day)), Updates.combine(
                Updates.set("orgId", orgId), Updates.set("day", day.toString()),
                Updates.set("devices", summary.devices()),
                Updates.set("byState", new Document(new LinkedHashMap<String, Object>(summary.byState()))),
                Updates.set("takenAt", Documents.date(takenAt))), new UpdateOptions().upsert(true))).then();
    }

    /** The snapshots of these days that exist: day → count per state. */
    Mono<Map<LocalDate, Map<String, Integer>>> find(String orgId, List<LocalDate> wanted) {
        return Flux.from(days.find(in("_id", wanted.stream().map(day -> id(orgId, day)).toList())))
                .filter(d -> orgId.equals(d.getString("orgId")))
                .collectMap(d -> LocalDate.parse(d.getString("day")), ComplianceSnapshots::counts);
    }

    private static Map<String, Integer> counts(Document d) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Document byState = d.get("byState", Document.class);
        if (byState != null) {
            byState.forEach((state, n) -> counts.put(state, n instanceof Number number ? number.intValue() : 0));
        }
        return counts;
    }

    private static String id(String orgId, LocalDate day) {
        return orgId + ":" + day;
    }
}
