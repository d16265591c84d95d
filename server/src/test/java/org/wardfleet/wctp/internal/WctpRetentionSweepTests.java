package org.wardfleet.wctp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * WCTP submissions, their status notifications and pager-fallback claims older than the retention are deleted;
 * anything younger stays (a sender may still poll it, a fallback may still need its claim).
 */
@WardfleetTest
class WctpRetentionSweepTests {

    @Autowired WctpRetentionSweep sweep;
    @Autowired MongoDatabase db;
    @Autowired Clock clock;
    @Autowired WctpSubmissions submissions;
    @Autowired PagerFallback fallback;

    @Test
    void recordsPastRetentionAreDeletedAndRecentOnesStay() {
        Instant now = clock.instant();
        String run = UUID.randomUUID().toString();
        Date old = Date.from(now.minus(Duration.ofDays(31)));
        Date recent = Date.from(now.minus(Duration.ofDays(1)));
        insert("wctp_submissions", List.of(new Document("_id", "old-" + run).append("createdAt", old).append("open",
                false), new Document("_id", "new-" + run).append("createdAt", recent).append("open", true)));
        insert("wctp_status", List.of(new Document("_id", "old-" + run).append("at", old).append("state", "SENT"),
                new Document("_id", "new-" + run).append("at", recent).append("state", "POLL")));
        insert("pager_fallbacks", List.of(new Document("_id", "old-" + run).append("at", old),
                new Document("_id", "new-" + run).append("at", recent)));

        assertThat(sweep.sweep(now).block()).isGreaterThanOrEqualTo(3);

        for (String collection : List.of("wctp_submissions", "wctp_status", "pager_fallbacks")) {
            assertThat(ids(collection, run)).as(collection).containsExactly("new-" + run);
        }
    }

    @Test
    void aRetentionShorterThanTheWindowsThatStillReadTheRecordsIsRefused() {
        assertThatThrownBy(() -> new WctpRetentionSweep(submissions, fallback, clock, Duration.ofHours(12),
                Duration.ofHours(1))).hasMessageContaining("at least 2d");
        assertThatThrownBy(() -> fallback.forget(clock.instant().minus(Duration.ofMinutes(5))).block())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void insert(String collection, List<Document> documents) {
        Mono.from(db.getCollection(collection).insertMany(documents)).block();
    }

    private List<String> ids(String collection, String run) {
        return Flux.from(db.getCollection(collection).find(Filters.in("_id", "old-" + run, "new-" + run)))
                .map(d -> d.getString("_id")).collectList().block();
    }
}
