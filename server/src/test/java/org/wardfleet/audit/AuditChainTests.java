package org.wardfleet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@WardfleetTest
class AuditChainTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired AuditLog audit;
    @Autowired MongoDatabase db;

    private Map<?, ?> verify(String token) {
        return http.get().uri("/api/v1/audit/verify").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void editingAStoredEntryIsReportedAsABreakAtThatEntry() {
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        api.createUser(admin.token(), "CLINICIAN");
        api.createUser(admin.token(), "CLINICIAN");
        Map<?, ?> before = verify(admin.token());
        assertThat(before.get("valid")).isEqualTo(true);
        long entries = ((Number) before.get("entries")).longValue();
        assertThat(entries).isGreaterThanOrEqualTo(5);

        // an insider with database access rewrites who did something
        Mono.from(db.getCollection("audit_entries").updateOne(
                Filters.and(Filters.eq("orgId", orgId), Filters.eq("seq", 3L)),
                Updates.set("actorId", "someone-else"))).block();

        Map<?, ?> after = verify(admin.token());
        assertThat(after.get("valid")).isEqualTo(false);
        assertThat(((Number) after.get("firstBrokenSeq")).longValue()).isEqualTo(3L);
        assertThat(((Number) after.get("entries")).longValue()).isEqualTo(entries);
    }

    @Test
    void deletingAnEntryOrTheNewestEntriesIsReported() {
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        api.createUser(admin.token(), "CLINICIAN");
        long entries = ((Number) verify(admin.token()).get("entries")).longValue();

        Mono.from(db.getCollection("audit_entries").deleteOne(
                Filters.and(Filters.eq("orgId", orgId), Filters.eq("seq", entries)))).block();
        Map<?, ?> tail = verify(admin.token());
        assertThat(tail.get("valid")).isEqualTo(false);
        // where and how many: the head still names the lost entry's number
        assertThat(((Number) tail.get("missing")).longValue()).isEqualTo(1L);
        assertThat(((Number) tail.get("headSeq")).longValue()).isEqualTo(entries);
        Map<?, ?> gap = (Map<?, ?>) ((List<?>) tail.get("gaps")).get(0);
        assertThat(((List<?>) tail.get("gaps"))).hasSize(1);
        assertThat(((Number) gap.get("from")).longValue()).isEqualTo(entries);
        assertThat(((Number) gap.get("to")).longValue()).isEqualTo(entries);
        assertThat(((Number) gap.get("count")).longValue()).isEqualTo(1L);
    }

    @Test
    void removingAMiddleEntryIsReportedAsAGap() {
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        api.createUser(admin.token(), "CLINICIAN");
        Mono.from(db.getCollection("audit_entries").deleteOne(
                Filters.and(Filters.eq("orgId", orgId), Filters.eq("seq", 2L)))).block();
        Map<?, ?> result = verify(admin.token());
        assertThat(result.get("valid")).isEqualTo(false);
        assertThat(((Number) result.get("firstBrokenSeq")).longValue()).isEqualTo(2L);
    }

    @Test
    void concurrentWritersNeverForkTheChain() {
        TestApi.User admin = api.newOrganisation();
        String orgId = orgOf(admin);
        int writers = 64;
        Flux.range(0, writers)
                .flatMap(i -> audit.record(AuditEvent.of(orgId, Actor.system(), "test.concurrent", "t-" + i,
                        Outcome.SUCCESS)), writers)
                .then().block(Duration.ofSeconds(60));

        List<Document> entries = Flux.from(db.getCollection("audit_entries").find(Filters.eq("orgId", orgId)))
                .collectList().block();
        List<Long> seqs = entries.stream().map(d -> d.getLong("seq")).sorted().toList();
        assertThat(seqs).doesNotHaveDuplicates();
        assertThat(seqs.get(seqs.size() - 1)).isEqualTo((long) seqs.size());
        assertThat(entries.stream().filter(d -> "test.concurrent".equals(d.getString("action")))).hasSize(writers);
        assertThat(verify(admin.token()).get("valid")).isEqualTo(true);
    }

    @Test
    void auditListFiltersByActionAndTimeAndStaysInsideTheOrganisation() {
        TestApi.User admin = api.newOrganisation();
        String marker = "target-" + UUID.randomUUID();
        audit.record(AuditEvent.of(orgOf(admin), Actor.system(), "test.filter", marker, Outcome.SUCCESS)).block();
        http.get().uri(u -> u.path("/api/v1/audit").queryParam("action", "test.filter").build())
                .headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].target").isEqualTo(marker)
                .jsonPath("$.items[0].hash").isNotEmpty();
        http.get().uri(u -> u.path("/api/v1/audit").queryParam("action", "test.filter")
                        .queryParam("to", "2000-01-01T00:00:00Z").build())
                .headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        // the test organisation's admin sees none of it
        http.get().uri(u -> u.path("/api/v1/audit").queryParam("action", "test.filter").build())
                .headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
    }

    private String orgOf(TestApi.User user) {
        return http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId").toString();
    }
}
