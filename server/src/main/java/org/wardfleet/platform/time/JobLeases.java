package org.wardfleet.platform.time;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import java.time.Instant;

import org.bson.Document;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.Documents;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Leases on {@link Job.Scope#ONE_INSTANCE} jobs, one document per job in {@code job_leases} under the unique
 * {@code _id} (the job's name), so that only one of several instances sharing the database runs the job. The holder
 * renews its lease at each run; another instance takes it only once it has run out (the holder stopped or died).
 * Single-document atomic: an update of the free or own lease, else an insert that a second instance's insert loses
 * on the unique key.
 */
@Component
public class JobLeases {

    private final MongoCollection<Document> leases;

    public JobLeases(MongoDatabase db) {
        this.leases = db.getCollection("job_leases");
    }

    /** True when {@code owner} holds the job's lease until {@code until} (taken or renewed); false: another has it. */
    public Mono<Boolean> claim(String job, String owner, Instant now, Instant until) {
        return Mono.from(leases.updateOne(and(eq("_id", job), or(eq("owner", owner),
                                lte("until", Documents.date(now)))),
                        Updates.combine(Updates.set("owner", owner), Updates.set("until", Documents.date(until)))))
                .flatMap(r -> r.getMatchedCount() == 1 ? Mono.just(true)
                        : Mono.from(leases.insertOne(new Document("_id", job).append("owner", owner)
                                        .append("until", Documents.date(until))))
                                .thenReturn(true)
                                .onErrorResume(Documents::isDuplicateKey, taken -> Mono.just(false)));
    }
}
