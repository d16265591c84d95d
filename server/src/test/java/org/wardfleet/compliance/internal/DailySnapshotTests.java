package org.wardfleet.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.compliance.ComplianceDay;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.compliance.DeviceCompliance;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/** The 30-day history: one snapshot per organisation and day, the day's last counts, gaps where none was taken. */
@WardfleetTest
class DailySnapshotTests {

    @Autowired DailySnapshot snapshot;
    @Autowired DeviceCompliance compliance;
    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired MongoDatabase db;

    @Test
    void aDaysSnapshotHoldsItsLastCountsAndDaysWithoutOneAreGaps() {
        TestApi.User admin = api.newOrganisation();
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        Caller caller = new Caller(admin.id(), orgId, admin.email(), Set.of(Role.SECURITY));
        Instant threeDaysAgo = Instant.now().minus(Duration.ofDays(3));
        snapshot.take(threeDaysAgo).block();
        api.enrolledDevice(admin.token(), "COPE", null);
        snapshot.take(threeDaysAgo.plusSeconds(1)).block();

        List<ComplianceDay> days = compliance.daily(caller, 30).block();
        assertThat(days).hasSize(30);
        assertThat(days.get(0).day()).isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(29));
        ComplianceDay recorded = days.get(26);
        assertThat(recorded.day()).isEqualTo(LocalDate.ofInstant(threeDaysAgo, ZoneOffset.UTC));
        assertThat(recorded.count(ComplianceState.UNKNOWN)).as("the later snapshot of the day wins").isEqualTo(1);
        assertThat(recorded.count(ComplianceState.COMPLIANT)).isZero();
        assertThat(days.get(25).byState()).as("no snapshot that day: a gap").isNull();
        assertThat(days.get(29).count(ComplianceState.UNKNOWN)).as("today: as of now").isEqualTo(1);
        // two snapshots that day, one document for it (the job's own snapshot of today may exist beside it)
        assertThat(Mono.from(db.getCollection("compliance_daily").countDocuments(Filters.and(Filters.eq("orgId", orgId),
                Filters.eq("day", recorded.day().toString())))).block()).isEqualTo(1);
    }
}
