package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.messaging.Paging;
import org.wardfleet.platform.time.DueTimers;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Escalation under an injected clock: the engine runs when the test says, at the instant it chooses (its own tick is
 * an hour away, and re-alerts too), while the watchdog runs every second on its own.
 */
@WardfleetTest
@TestPropertySource(properties = {"wardfleet.oncall.tick=1h", "wardfleet.oncall.watchdog=1s",
    "wardfleet.oncall.realert-stat=1h", "wardfleet.oncall.realert-urgent=1h"})
class EscalationTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired EscalationJob engine;
    @Autowired EscalationSteps steps;
    @Autowired JobFailures failures;
    @Autowired DueTimers timers;
    @Autowired PageStore pages;
    @Autowired Coverage coverage;
    @Autowired OnCallStore roles;
    @Autowired Paging paging;
    @Autowired SecurityEvents events;
    @Autowired AuditLog audit;
    @Autowired Clock clock;
    @Autowired MongoDatabase db;
    @Autowired EscalationDefaults defaults;
    @Autowired MeterRegistry meters;

    record Team(TestApi.User admin, TestApi.User doctor, TestApi.User onCall, TestApi.User consultant,
            TestApi.User owner, TestDevice ownerPhone, String roleId, String policyId) {
    }

    @Test
    void anUnansweredPageEscalatesOnceAndStopsWhenAcknowledged() {
        Team t = team();
        Instant start = clock.instant();
        String id = page(t);
        assertThat(engine.tick(start.plusSeconds(5)).block()).isZero();
        // two instances reach step 2 at the same moment: it fires once
        EscalationJob other = second();
        Flux.merge(engine.tick(start.plusSeconds(125)), other.tick(start.plusSeconds(125))).blockLast();
        Map<?, ?> view = view(t.doctor(), id);
        assertThat(view.get("state")).isEqualTo("ESCALATED");
        assertThat(events(view, "ESCALATED")).hasSize(1);
        assertThat(view.get("recipients").toString()).contains(t.consultant().id()).contains(t.onCall().id());

        http.post().uri("/api/v1/pages/" + id + "/acknowledge").headers(h -> h.setBearerAuth(t.consultant().token()))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("ACKNOWLEDGED");
        // the timer of the step the page has left does nothing
        engine.tick(start.plusSeconds(400)).block();
        Map<?, ?> after = view(t.doctor(), id);
        assertThat(after.get("state")).isEqualTo("ACKNOWLEDGED");
        assertThat(after.get("acknowledgedBy")).isEqualTo(t.consultant().id());
        assertThat(events(after, "ESCALATED")).hasSize(1);
        assertThat(events(after, "FAILED")).isEmpty();
        assertThat(after.get("recipients").toString()).contains("ACKNOWLEDGED");
        // the sender closes it
        http.post().uri("/api/v1/pages/" + id + "/resolve").headers(h -> h.setBearerAuth(t.doctor().token()))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("RESOLVED");
        http.post().uri("/api/v1/pages/" + id + "/resolve").headers(h -> h.setBearerAuth(t.onCall().token()))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void whenNobodyAcknowledgesThePageFailsLoudly() {
        Team t = team();
        Instant start = clock.instant();
        String id = page(t);
        engine.tick(start.plusSeconds(125)).block();
        // "restart": a new engine (new instance id, same database) carries on at the right step
        second().tick(start.plusSeconds(250)).block();
        Map<?, ?> view = view(t.doctor(), id);
        assertThat(view.get("state")).isEqualTo("FAILED");
        assertThat(events(view, "FAILED").get(0).get("told").toString()).contains(t.owner().id());
        // the role's owner is told at once, as a STAT message on their phone
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + t.ownerPhone().jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) inbox.get("messages")).hasSize(1);
        assertThat(http.get().uri("/api/v1/audit?size=200").headers(h -> h.setBearerAuth(t.admin().token()))
                .exchange().expectBody(String.class).returnResult().getResponseBody()).contains("page.failed");
    }

    @Test
    void aStuckEngineShowsInHealthAndTheLateStepIsRecorded() {
        Team t = team();
        String id = page(t);
        Mono.from(db.getCollection("pages").updateOne(Filters.eq("_id", id), Updates.set("nextDueAt",
                java.util.Date.from(clock.instant().minusSeconds(90))))).block();
        http.get().uri("/actuator/health").headers(h -> h.setBearerAuth(t.admin().token())).exchange()
                .expectBody().jsonPath("$.components.escalations.status").isEqualTo("DOWN");
        engine.tick(clock.instant()).block();
        Map<?, ?> view = view(t.doctor(), id);
        assertThat(events(view, "ESCALATED").get(0).get("overdue")).isEqualTo(true);
        assertThat(((Number) events(view, "ESCALATED").get(0).get("lateMs")).longValue()).isGreaterThan(30_000);
    }

    @Test
    void onlyThePagesPeopleReadItsTextAdminsSeeMetadataOthersNothing() {
        Team t = team();
        String id = page(t);
        http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(t.admin().token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("TRIGGERED")
                .jsonPath("$.text").doesNotExist();
        http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(t.admin().token())).exchange()
                .expectStatus().isNotFound();
        TestApi.User stranger = api.createUser(t.admin().token(), "CLINICIAN");
        http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(stranger.token())).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(stranger.token())).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/v1/messages/" + id).headers(h -> h.setBearerAuth(t.onCall().token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.text").isEqualTo("Cardiac arrest ward 5");
    }

    @Test
    void aStepComingDueBeforeTheNextPassFiresAtItsDueTimeNotAtTheNextTick() {
        Team t = team();
        String id = page(t);
        // the step comes due in 2 s; the next pass is an hour away (this context's tick)
        // as stored: MongoDB keeps milliseconds, and the timer is set from the stored due time
        Instant due = clock.instant().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Mono.from(db.getCollection("pages").updateOne(Filters.eq("_id", id), Updates.set("nextDueAt",
                java.util.Date.from(due)))).block();
        engine.run().block(); // the engine's real-time pass
        await().atMost(Duration.ofSeconds(60)).until(() -> "ESCALATED".equals(view(t.doctor(), id).get("state")));
        Map<?, ?> step = events(view(t.doctor(), id), "ESCALATED").get(0);
        assertThat(step.get("overdue")).isEqualTo(false);
        assertThat(Instant.parse((String) step.get("at"))).isAfterOrEqualTo(due);
    }

    @Test
    void aStepAnotherInstanceDiedHoldingFiresHereWhenItsLeaseEndsNotAtTheNextPass() {
        Team t = team();
        String id = page(t);
        // the step is due now, and claimed by an instance that then died (SIGKILL: its lease is never renewed)
        Instant leaseEnds = clock.instant().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Mono.from(db.getCollection("pages").updateOne(Filters.eq("_id", id), Updates.combine(
                Updates.set("nextDueAt", java.util.Date.from(clock.instant().minusMillis(100))),
                Updates.set("leaseOwner", "an-instance-that-died"),
                Updates.set("leaseUntil", java.util.Date.from(leaseEnds))))).block();
        double lost = meters.counter(EscalationJob.CLAIMS_METRIC, "outcome", "lost").count();
        engine.run().block(); // this instance's pass finds it leased; its next pass is an hour away
        await().atMost(Duration.ofSeconds(60)).until(() -> "ESCALATED".equals(view(t.doctor(), id).get("state")));
        Map<?, ?> step = events(view(t.doctor(), id), "ESCALATED").get(0);
        assertThat(Instant.parse((String) step.get("at"))).as("fired once the dead instance's lease ended")
                .isAfterOrEqualTo(leaseEnds);
        assertThat(meters.counter(EscalationJob.CLAIMS_METRIC, "outcome", "lost").count())
                .as("the claim lost to the dead instance, counted").isGreaterThan(lost);
    }

    @Test
    void aStepStuckOnItsWorkHoldsUpNeitherThePassNorAnyOtherPageAndIsFiredAgainWhenCutOff() {
        Team t = team();
        String stuck = page(t);
        String other = page(t);
        dueNow(stuck);
        dueNow(other);
        // an instance whose step for one page never returns (its database or push work hangs), cut off after 15 s
        java.util.concurrent.atomic.AtomicBoolean cutOff = new java.util.concurrent.atomic.AtomicBoolean();
        EscalationSteps hanging = new EscalationSteps(pages, coverage, roles, paging, events, audit, clock, List.of(),
                Duration.ofHours(1), Duration.ofHours(1)) {
            @Override
            Mono<Integer> fire(PageStore.Page page, String owner, Instant now) {
                return page.id().equals(stuck) ? Mono.<Integer>never().doOnCancel(() -> cutOff.set(true))
                        : super.fire(page, owner, now);
            }
        };
        double slow = meters.counter(EscalationJob.SLOW_METRIC).count();
        EscalationJob instance = new EscalationJob(failures, pages, hanging, timers, clock, meters,
                Duration.ofHours(1), Duration.ofSeconds(15));
        // its real-time pass returns while the step is stuck: the engine's next pass is not held by it
        instance.run().block(Duration.ofSeconds(60));
        assertThat(cutOff).as("the stuck step was cut off before the pass returned").isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> "ESCALATED".equals(view(t.doctor(), other).get("state")));
        String later = page(t);
        dueNow(later);
        instance.run().block(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ESCALATED".equals(view(t.doctor(), later).get("state")));
        assertThat(view(t.doctor(), stuck).get("state")).as("the stuck step has not fired").isEqualTo("TRIGGERED");
        assertThat(cutOff).as("the other pages' steps fired while the stuck one was still held").isFalse();
        // cut off, its lease is no longer renewed: another instance claims the step and fires it
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            engine.tick(clock.instant()).block();
            return "ESCALATED".equals(view(t.doctor(), stuck).get("state"));
        });
        assertThat(events(view(t.doctor(), stuck), "ESCALATED")).hasSize(1);
        assertThat(meters.counter(EscalationJob.SLOW_METRIC).count()).as("the stuck step, counted as slow")
                .isGreaterThan(slow);
    }

    @Test
    void anInstanceStoppedAndStartedAgainFiresItsDueSteps() {
        Team t = team();
        String id = page(t);
        EscalationJob instance = second();
        // a stop and a start of the application (a test framework pauses an idle context that way)
        instance.stop();
        instance.start();
        dueNow(id);
        instance.run().block(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ESCALATED".equals(view(t.doctor(), id).get("state")));
    }

    private void dueNow(String pageId) {
        Mono.from(db.getCollection("pages").updateOne(Filters.eq("_id", pageId),
                Updates.set("nextDueAt", java.util.Date.from(clock.instant().minusMillis(100))))).block();
    }

    @Test
    void aStoppedEngineStillShowsItsOverduePagesInTheMetricAndInHealth() {
        Team t = team();
        String id = page(t);
        // the escalation job does not run during this test (its tick is an hour): only the watchdog does
        try {
            Mono.from(db.getCollection("pages").updateOne(Filters.eq("_id", id), Updates.set("nextDueAt",
                    java.util.Date.from(clock.instant().minusSeconds(90))))).block();
            // not one engine tick runs: the gauge comes from the watchdog, which reads storage on its own schedule
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> meters.get("wardfleet.escalations.overdue").gauge().value() >= 1);
            http.get().uri("/actuator/health").headers(h -> h.setBearerAuth(t.admin().token())).exchange()
                    .expectBody().jsonPath("$.components.escalations.status").isEqualTo("DOWN");
            String scrape = http.get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth(t.admin().token()))
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(scrape).containsPattern("wardfleet_escalations_overdue(\\{[^}]*\\})? [1-9]");
        } finally {
            http.post().uri("/api/v1/pages/" + id + "/resolve").headers(h -> h.setBearerAuth(t.doctor().token()))
                    .exchange().expectStatus().isOk();
        }
    }

    @Test
    void anUnreadablePageIsSkippedAndCountedWhileTheOthersEscalate() {
        Team t = team();
        Instant start = clock.instant();
        String id = page(t);
        String broken = "broken-" + UUID.randomUUID();
        // another organisation's page document that cannot be read (no addressee, no steps), due long ago
        Mono.from(db.getCollection("pages").insertOne(new org.bson.Document("_id", broken).append("orgId", "elsewhere")
                .append("state", "TRIGGERED").append("round", 0).append("step", 0)
                .append("nextDueAt", java.util.Date.from(start.minusSeconds(3600))))).block();
        double before = failures("escalation");
        try {
            engine.tick(start.plusSeconds(125)).block();
            assertThat(view(t.doctor(), id).get("state")).isEqualTo("ESCALATED");
            assertThat(failures("escalation")).isGreaterThan(before);
        } finally {
            Mono.from(db.getCollection("pages").deleteOne(Filters.eq("_id", broken))).block();
        }
    }

    @Test
    void aStepThatNamesTheSenderPagesThemAndTheTimelineSaysExactlyWhoWasReached() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User onCall = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User leaver = api.createUser(admin.token(), "CLINICIAN");
        TestDevice adminPhone = api.enrolledDevice(admin.token(), "COPE", admin.id());
        String role = api.onCallRole(admin.token(), "Night registrar", onCall.id());
        String policy = policy(admin, List.of(
                Map.of("targets", List.of(Map.of("roleId", role)), "waitSeconds", 120),
                Map.of("targets", List.of(Map.of("userId", admin.id()), Map.of("userId", leaver.id())),
                        "waitSeconds", 120)));
        usePolicy(role, policy);
        http.post().uri("/api/v1/users/{id}/disable", leaver.id()).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        Instant start = clock.instant();
        String id = page(admin, role, "STAT");

        engine.tick(start.plusSeconds(125)).block();
        Map<?, ?> view = view(admin, id);
        Map<?, ?> step = events(view, "ESCALATED").get(0);
        // the sender is paged like anyone a step names; the disabled user is not, and the timeline says so
        assertThat(step.get("recipients")).isEqualTo(List.of(admin.id()));
        assertThat(step.get("added")).isEqualTo(List.of(admin.id()));
        assertThat(step.get("skipped")).isEqualTo(List.of(Map.of("userId", leaver.id(),
                "reason", "not an active user")));
        assertThat(((List<?>) view.get("recipients")).toString()).contains(admin.id()).doesNotContain(leaver.id());
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + adminPhone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(inbox.get("messages").toString()).contains(id);
    }

    @Test
    void aClinicianPagingTheRoleTheyCoverGetsThePageThemself() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User registrar = api.createUser(admin.token(), "CLINICIAN");
        String role = api.onCallRole(admin.token(), "Registrar", registrar.id());
        String id = page(registrar, role, "URGENT");
        Map<?, ?> view = view(registrar, id);
        assertThat(events(view, "TRIGGERED").get(0).get("recipients")).isEqualTo(List.of(registrar.id()));
        assertThat(((List<?>) view.get("recipients")).toString()).contains(registrar.id());
    }

    private double failures(String job) {
        var counter = meters.find("wardfleet.jobs.failures").tag("job", job).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Another instance's escalation job: its own instance id, the same database. */
    private EscalationJob second() {
        return new EscalationJob(failures, pages, steps, timers, clock, meters, Duration.ofHours(1), Duration.ofSeconds(30));
    }

    private Team team() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User onCall = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User consultant = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User owner = api.createUser(admin.token(), "CLINICIAN");
        TestDevice ownerPhone = api.enrolledDevice(admin.token(), "COPE", owner.id());
        String start = LocalDate.now(ZoneOffset.UTC).minusDays(1) + "T00:00";
        String role = (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "Cardiac arrest team", "timeZone", "UTC", "owners", List.of(owner.id()),
                        "rota", Map.of("participants", List.of(onCall.id()), "start", start, "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        String policy = policy(admin, List.of(
                Map.of("targets", List.of(Map.of("roleId", role)), "waitSeconds", 120),
                Map.of("targets", List.of(Map.of("userId", consultant.id())), "waitSeconds", 120)));
        usePolicy(role, policy);
        return new Team(admin, doctor, onCall, consultant, owner, ownerPhone, role, policy);
    }

    private String policy(TestApi.User admin, List<Map<String, Object>> steps) {
        return (String) http.post().uri("/api/v1/escalation-policies").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "cardiac", "repeat", 1, "steps", steps))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    /** The role names the policy that names the role: one of the two is set after both exist. */
    private void usePolicy(String role, String policy) {
        Mono.from(db.getCollection("oncall_roles").updateOne(Filters.eq("_id", role),
                Updates.set("escalationPolicyId", policy))).block();
    }

    private String page(Team t) {
        return page(t.doctor(), t.roleId(), "STAT");
    }

    private String page(TestApi.User sender, String roleId, String priority) {
        return (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(sender.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("roleId", roleId), "text", "Cardiac arrest ward 5",
                        "priority", priority))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private Map<?, ?> view(TestApi.User who, String id) {
        return http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(who.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    static List<Map<?, ?>> events(Map<?, ?> view, String name) {
        return ((List<?>) view.get("timeline")).stream().<Map<?, ?>>map(e -> (Map<?, ?>) e)
                .filter(e -> name.equals(e.get("event"))).toList();
    }
}
