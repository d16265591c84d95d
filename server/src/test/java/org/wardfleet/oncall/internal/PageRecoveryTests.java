package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.Paging;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.internal.PageIntentStore.Intent;
import org.wardfleet.oncall.internal.PageIntentStore.Kind;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A server killed half-way through a page: the message written (its fan-out to phones perhaps not), the page record
 * and the audit entry not. The intent left behind is finished by recovery — once, even with two instances at it —
 * and the page then escalates like any other; a retry of the request gets the same page.
 */
@WardfleetTest
@TestPropertySource(properties = "wardfleet.oncall.tick=1h")
class PageRecoveryTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired PageIntents intents;
    @Autowired PageIntentStore intentStore;
    @Autowired Escalation escalation;
    @Autowired EscalationJob engine;
    @Autowired PageStore pages;
    @Autowired BroadcastStore broadcasts;
    @Autowired Paging paging;
    @Autowired AuditLog audit;
    @Autowired Clock clock;
    @Autowired MongoDatabase db;

    record Ward(String orgId, TestApi.User admin, TestApi.User doctor, TestApi.User nurse, TestDevice phone) {
    }

    @Test
    void aPageWhoseServerDiedAfterWritingTheMessageIsFinishedOnceEscalatesAndIsAudited() {
        Ward w = ward();
        String key = UUID.randomUUID().toString();
        // the killed server got as far as writing the message, not its phones' copies, nor the page, nor the audit
        String id = paging.page(w.orgId(), w.doctor().id(), List.of(w.nurse().id()), "Resus bay 2 now",
                Priority.STAT, key).block();
        interruptFanOut(id, w.phone());
        assertThat(pages.page(w.orgId(), id).blockOptional()).isEmpty();
        assertThat(inbox(w.phone())).isEmpty();
        died(Kind.PAGE, w, key, new Recipient.User(w.nurse().id()));

        // two instances recover at once: one of them finishes it
        PageIntents other = new PageIntents(intentStore, escalation, pages, broadcasts, paging, audit, clock,
                new SimpleMeterRegistry(), Duration.ofSeconds(30), Duration.ofHours(1));
        Flux.merge(intents.recoverDue(clock.instant()), other.recoverDue(clock.instant())).blockLast();

        Map<?, ?> view = view(w.doctor(), id);
        assertThat(view.get("state")).isEqualTo("TRIGGERED");
        assertThat(events(view, "RECOVERED")).hasSize(1);
        List<Document> triggered = audited(w.orgId(), "page.trigger", id);
        assertThat(triggered).hasSize(1);
        assertThat(triggered.get(0).get("details", Document.class).getString("recovered")).isEqualTo("true");
        assertThat(audited(w.orgId(), "message.send", id)).anySatisfy(e ->
                assertThat(e.get("details", Document.class).getString("resumed")).isEqualTo("true"));
        assertThat(pendingIntents(w.orgId())).isZero();
        // the phone's copy was written again: the nurse's phone has the page
        assertThat(inbox(w.phone())).hasSize(1);

        // nobody acknowledges: its step fires as for any page (due from when the message was sent)
        Instant sentAt = Instant.parse((String) events(view, "TRIGGERED").get(0).get("at"));
        engine.tick(sentAt.plus(Duration.ofMinutes(2)).plusSeconds(1)).block();
        assertThat(view(w.doctor(), id).get("state")).isEqualTo("ESCALATED");

        // the sender's client retries with the same key: the same page, nothing sent again
        assertThat(post(w, key)).isEqualTo(id);
        assertThat(inbox(w.phone())).hasSize(1);
    }

    @Test
    void aPageWhoseServerDiedBeforeTheMessageIsGivenUpAuditedAndARetryPages() {
        Ward w = ward();
        String key = UUID.randomUUID().toString();
        died(Kind.PAGE, w, key, new Recipient.User(w.nurse().id()));

        intents.recoverDue(clock.instant()).block();

        assertThat(pendingIntents(w.orgId())).isZero();
        List<Document> failed = Flux.from(db.getCollection("audit_entries").find(Filters.and(
                Filters.eq("orgId", w.orgId()), Filters.eq("action", "page.trigger")))).collectList().block();
        assertThat(failed).singleElement().satisfies(e -> {
            assertThat(e.getString("outcome")).isEqualTo("FAILURE");
            assertThat(e.get("details", Document.class).getString("interrupted")).isEqualTo("true");
        });
        assertThat(inbox(w.phone())).isEmpty();
        // nothing was sent: the retried request pages now
        String id = post(w, key);
        assertThat(view(w.doctor(), id).get("state")).isEqualTo("TRIGGERED");
        assertThat(inbox(w.phone())).hasSize(1);
    }

    @Test
    void aRetryWhileTheIntentIsStillPendingFinishesThePageAndReturnsIt() {
        Ward w = ward();
        String key = UUID.randomUUID().toString();
        String id = paging.page(w.orgId(), w.doctor().id(), List.of(w.nurse().id()), "Resus bay 2 now",
                Priority.STAT, key).block();
        // its lease not run out yet: recovery leaves it alone, the retry does the work
        Instant now = clock.instant();
        intentStore.begin(Intent.of(Kind.PAGE, w.orgId(), w.doctor().id(), key, new Recipient.User(
                w.nurse().id()), Priority.STAT, null, now), "crashed-just-now", now.plusSeconds(30)).block();

        assertThat(post(w, key)).isEqualTo(id);
        assertThat(view(w.doctor(), id).get("state")).isEqualTo("TRIGGERED");
        assertThat(pendingIntents(w.orgId())).isZero();
        assertThat(audited(w.orgId(), "page.trigger", id)).hasSize(1);
    }

    @Test
    void aBroadcastWhoseServerDiedBeforeItsAuditEntryIsAuditedOnRecovery() {
        Ward w = ward();
        String key = UUID.randomUUID().toString();
        String id = paging.broadcast(w.orgId(), w.doctor().id(), List.of(w.nurse().id(), w.admin().id()),
                "Major incident: report to ED", Priority.STAT, List.of("available", "not available"), false, key)
                .block();
        died(Kind.BROADCAST, w, key, new Recipient.Everyone());

        intents.recoverDue(clock.instant()).block();
        // and it is in the broadcast list, which it had not reached either
        http.get().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(w.admin().token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items[0].id").isEqualTo(id)
                .jsonPath("$.items[0].audience.type").isEqualTo("all")
                .jsonPath("$.items[0].recipients").isEqualTo(2);

        assertThat(audited(w.orgId(), "broadcast.send", id)).singleElement().satisfies(e -> {
            assertThat(e.get("details", Document.class).getString("recovered")).isEqualTo("true");
            assertThat(e.get("details", Document.class).getString("recipients")).isEqualTo("2");
        });
        assertThat(pendingIntents(w.orgId())).isZero();
        // the same key again: the same broadcast (sending to everyone needs the incident lead's role)
        http.put().uri("/api/v1/users/" + w.doctor().id() + "/roles").headers(h -> h.setBearerAuth(w.admin().token()))
                .bodyValue(Map.of("roles", List.of("CLINICIAN", "INCIDENT_LEAD"))).exchange().expectStatus().isOk();
        assertThat(http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(w.doctor().token()))
                .header("Idempotency-Key", key)
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "Major incident: report to ED",
                        "priority", "STAT"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id")).isEqualTo(id);
    }

    /** The intent a request killed mid-way leaves: written by another (dead) instance, its lease run out. */
    private void died(Kind kind, Ward w, String key, Recipient to) {
        Instant before = clock.instant().minus(Duration.ofMinutes(1));
        intentStore.begin(Intent.of(kind, w.orgId(), w.doctor().id(), key, to, Priority.STAT, null, before), "dead",
                before.plusSeconds(30)).block();
    }

    /** As if the sender died while fanning the message out: its mark left, its phones' copies never written. */
    private void interruptFanOut(String messageId, TestDevice phone) {
        Mono.from(db.getCollection("messages").updateOne(Filters.eq("_id", messageId),
                Updates.set("fanOutUntil", Date.from(clock.instant().minus(Duration.ofMinutes(1)))))).block();
        Mono.from(db.getCollection("message_deliveries").deleteMany(Filters.eq("messageId", messageId))).block();
        Mono.from(db.getCollection("message_inboxes").deleteOne(Filters.eq("_id", phone.deviceId()))).block();
    }

    private long pendingIntents(String orgId) {
        return Mono.from(db.getCollection("page_intents").countDocuments(Filters.eq("orgId", orgId))).block();
    }

    private List<Document> audited(String orgId, String action, String target) {
        return Flux.from(db.getCollection("audit_entries").find(Filters.and(Filters.eq("orgId", orgId),
                Filters.eq("action", action), Filters.eq("target", target)))).collectList().block();
    }

    private List<?> inbox(TestDevice phone) {
        return (List<?>) http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + phone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("messages");
    }

    private String post(Ward w, String key) {
        return (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(w.doctor().token()))
                .header("Idempotency-Key", key)
                .bodyValue(Map.of("to", Map.of("userId", w.nurse().id()), "text", "Resus bay 2 now",
                        "priority", "STAT"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private Ward ward() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestDevice phone = api.enrolledDevice(admin.token(), "COPE", nurse.id());
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        return new Ward(orgId, admin, doctor, nurse, phone);
    }

    private Map<?, ?> view(TestApi.User who, String id) {
        return http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(who.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Map<?, ?>> events(Map<?, ?> view, String name) {
        return EscalationTests.events(view, name);
    }
}
