package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * What on-call accepts and what it does with what it already stored: every reference checked when written, every
 * date bounded, a broken route refused loudly (never an empty 200), and one broken role — stored before input was
 * bounded — costing nobody else their answers or their gap notices.
 */
@WardfleetTest
class OnCallInputTests {

    static final String FAR_FUTURE = "+999999999-12-31T23:59:59";

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @Autowired GapNotices gapNotices;
    @Autowired Clock clock;
    @Autowired MeterRegistry meters;

    @Test
    void referencesMustExistInTheCallersOrganisationWhenWritten() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User otherAdmin = api.newOrganisation();
        TestApi.User stranger = api.createUser(otherAdmin.token(), "CLINICIAN");
        String theirPolicy = policy(otherAdmin, Map.of("userId", stranger.id())).returnResult().getResponseBody()
                .get("id").toString();

        refused(http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(role("Night nurse", nurse.id(), "2026-03-28T08:00", "P1D", "no-such-policy")),
                "escalationPolicyId");
        refused(http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(role("Night nurse", nurse.id(), "2026-03-28T08:00", "P1D", theirPolicy)),
                "escalationPolicyId");
        expectRefused(policy(admin, Map.of("userId", stranger.id())), "steps[0].targets[0].userId");
        expectRefused(policy(admin, Map.of("roleId", "no-such-role")), "steps[0].targets[0].roleId");
        expectRefused(policy(admin, Map.of("groupId", "no-such-group")), "steps[0].targets[0].groupId");

        String role = api.onCallRole(admin.token(), "Night nurse", nurse.id());
        String ours = policy(admin, Map.of("roleId", role)).returnResult().getResponseBody().get("id").toString();
        refused(http.put().uri("/api/v1/oncall/roles/" + role + "/escalation-policy")
                .headers(h -> h.setBearerAuth(admin.token())).bodyValue(Map.of("escalationPolicyId", theirPolicy)),
                "escalationPolicyId");
        http.put().uri("/api/v1/oncall/roles/" + role + "/escalation-policy").headers(h -> h.setBearerAuth(
                admin.token())).bodyValue(Map.of("escalationPolicyId", ours)).exchange().expectStatus().isOk();
        http.get().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody().jsonPath("$[0].escalationPolicyId").isEqualTo(ours);
    }

    @Test
    void aPriorityThatIsNoneOfTheWordsIsRefusedAsAnInvalidFieldOnEveryWayIn() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        for (String priority : List.of("stat", "HIGH", "")) {
            refused(http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(admin.token()))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .bodyValue(Map.of("to", Map.of("userId", nurse.id()), "text", "Bed 3", "priority", priority)),
                    "priority");
            refused(http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .bodyValue(Map.of("audience", Map.of("all", true), "text", "Drill", "priority", priority)),
                    "priority");
            refused(http.post().uri("/api/v1/conversations/any/messages").headers(h -> h.setBearerAuth(admin.token()))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .bodyValue(Map.of("text", "Bed 3", "priority", priority)), "priority");
        }
    }

    @Test
    void aWrongPriorityIsListedWithTheRequestsOtherInvalidFieldsInOneRefusal() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        allRefused(http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("userId", nurse.id()), "priority", "HIGH")), "priority", "text");
        allRefused(http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("audience", Map.of("all", true), "priority", "HIGH")), "priority", "text");
        allRefused(http.post().uri("/api/v1/conversations/any/messages").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("priority", "HIGH")), "priority", "text");
    }

    @Test
    void aPageAlongARouteThatLeadsNowhereIsRefusedNeverAnEmpty200() {
        TestApi.User admin = api.newOrganisation();
        String role = roleWithoutItsPolicy(admin, "rapid-" + UUID.randomUUID());
        http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("roleId", role), "text", "Bed 3", "priority", "STAT")).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:page-unroutable");
    }

    @Test
    void aWctpMessageAlongARouteThatLeadsNowhereGetsAWctpFailureNeverAnEmpty200() {
        TestApi.User admin = api.newOrganisation();
        String name = "rapid-" + UUID.randomUUID();
        roleWithoutItsPolicy(admin, name);
        String sender = "nursecall-" + System.nanoTime();
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", "nurse-call-security-code-1",
                        "allowedRecipients", List.of("role:*")))
                .exchange().expectStatus().isCreated();
        String answer = api.wctp(WCTP_SUBMIT.formatted(sender, "m-" + UUID.randomUUID(), "role:" + name));
        assertThat(answer).isNotBlank().contains("<wctp-Failure").contains("errorCode=\"403\"");
    }

    /** A role whose escalation policy is gone (stored before references were checked, or removed in the database). */
    private String roleWithoutItsPolicy(TestApi.User admin, String name) {
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        String role = api.onCallRole(admin.token(), name, nurse.id());
        Mono.from(db.getCollection("oncall_roles").updateOne(Filters.eq("_id", role),
                Updates.set("escalationPolicyId", "deleted-policy"))).block();
        return role;
    }

    @Test
    void datesZonesAndShiftsAreBoundedAndTheRefusalNamesTheField() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        refused(http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(role("x", nurse.id(), FAR_FUTURE, "P1D", null)), "rota.start");
        refused(http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(role("x", nurse.id(), "1970-01-01T00:00", "P1D", null)), "rota.start");
        refused(http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(role("x", nurse.id(), "2026-03-28T08:00", "PT1M", null)), "rota.shift");
        Map<String, Object> badZone = new java.util.HashMap<>(role("x", nurse.id(), "2026-03-28T08:00", "P1D", null));
        badZone.put("timeZone", "Mars/Olympus");
        refused(http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(badZone), "timeZone");

        String role = api.onCallRole(admin.token(), "Night nurse", nurse.id());
        refused(http.put().uri("/api/v1/oncall/roles/" + role + "/rota").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("participants", List.of(nurse.id()), "start", FAR_FUTURE, "shift", "P1D")), "start");
        refused(http.post().uri("/api/v1/oncall/roles/" + role + "/overrides")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("userId", nurse.id(), "from", "9999-12-30T00:00", "to", "9999-12-31T00:00")),
                "from");
        refused(http.get().uri("/api/v1/oncall/roles/" + role + "/now?at=9999-12-31T00:00:00Z")
                .headers(h -> h.setBearerAuth(admin.token())), "at");
    }

    @Test
    void aRotaThatCannotBeComputedBreaksOnlyItsOwnRole() {
        // organisation A: a good role and one whose start was stored before dates were bounded
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        String good = api.onCallRole(admin.token(), "Day nurse", nurse.id());
        String broken = api.onCallRole(admin.token(), "Broken nurse", nurse.id());
        Mono.from(db.getCollection("oncall_roles").updateOne(Filters.eq("_id", broken),
                Updates.set("start", FAR_FUTURE))).block();
        // organisation B, whose role comes after it: a gap in the coming days, and an owner with a phone
        TestApi.User adminB = api.newOrganisation();
        TestApi.User ana = api.createUser(adminB.token(), "CLINICIAN");
        TestApi.User lead = api.createUser(adminB.token(), "CLINICIAN");
        String roleB = (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(adminB.token()))
                .bodyValue(Map.of("name", "Rapid response", "timeZone", "UTC", "owners", List.of(lead.id()),
                        "rota", Map.of("participants", List.of(ana.id()), "start",
                                LocalDate.now(ZoneOffset.UTC).plusDays(2) + "T08:00", "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        http.get().uri("/api/v1/oncall/me/shifts?days=7").headers(h -> h.setBearerAuth(nurse.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[0].roleId").isEqualTo(good);
        http.get().uri("/api/v1/oncall/roles/" + broken + "/schedule").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:rota-unusable");
        http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("roleId", broken), "text", "Bed 3", "priority", "STAT")).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:wardfleet:problem:rota-unusable");

        double before = failures("gap-notices");
        gapNotices.check(clock.instant()).block();
        assertThat(failures("gap-notices")).isGreaterThan(before);
        // organisation B's owner was told about its gap all the same
        assertThat(Mono.from(db.getCollection("messages").countDocuments(Filters.regex("idempotencyKey",
                "^gap-" + roleB + "-"))).block()).isEqualTo(1);

        // its owners repair it with a new rota
        http.put().uri("/api/v1/oncall/roles/" + broken + "/rota").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("participants", List.of(nurse.id()), "start", "2026-03-28T08:00", "shift", "P1D"))
                .exchange().expectStatus().isOk();
        http.get().uri("/api/v1/oncall/roles/" + broken + "/schedule").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
    }

    private static Map<String, Object> role(String name, String participant, String start, String shift,
            String policyId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "timeZone", "UTC",
                "rota", Map.of("participants", List.of(participant), "start", start, "shift", shift)));
        if (policyId != null) {
            body.put("escalationPolicyId", policyId);
        }
        return body;
    }

    private WebTestClient.BodySpec<Map, ?> policy(TestApi.User admin, Map<String, String> target) {
        return http.post().uri("/api/v1/escalation-policies").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "p", "repeat", 1, "steps", List.of(Map.of("targets", List.of(target),
                        "waitSeconds", 60))))
                .exchange().expectBody(Map.class);
    }

    private static void expectRefused(WebTestClient.BodySpec<Map, ?> answer, String path) {
        Map<?, ?> problem = answer.returnResult().getResponseBody();
        assertThat(problem.get("type")).isEqualTo("urn:wardfleet:problem:validation-failed");
        assertThat(((Map<?, ?>) ((List<?>) problem.get("errors")).get(0)).get("path")).isEqualTo(path);
    }

    private static void refused(WebTestClient.RequestHeadersSpec<?> request, String path) {
        request.exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:validation-failed")
                .jsonPath("$.errors[0].path").isEqualTo(path);
    }

    /** One validation-failed problem naming every one of {@code paths}, the priority's with the words it may be. */
    private static void allRefused(WebTestClient.RequestHeadersSpec<?> request, String... paths) {
        Map<?, ?> problem = request.exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(problem.get("type")).isEqualTo("urn:wardfleet:problem:validation-failed");
        List<?> errors = (List<?>) problem.get("errors");
        List<String> named = errors.stream().map(e -> String.valueOf(((Map<?, ?>) e).get("path"))).toList();
        List<String> why = errors.stream().filter(e -> "priority".equals(((Map<?, ?>) e).get("path")))
                .map(e -> String.valueOf(((Map<?, ?>) e).get("message"))).toList();
        assertThat(named).containsExactlyInAnyOrder(paths);
        assertThat(why).containsExactly("must be one of [ROUTINE, URGENT, STAT]");
    }

    private double failures(String job) {
        var counter = meters.find("wardfleet.jobs.failures").tag("job", job).counter();
        return counter == null ? 0 : counter.count();
    }

    static final String WCTP_SUBMIT = """
            <?xml version="1.0"?>
            <wctp-Operation wctpVersion="wctp-dtd-v1r3">
              <wctp-SubmitRequest>
                <wctp-SubmitHeader submitTimestamp="2026-11-24T08:00:00">
                  <wctp-Originator senderID="%s" securityCode="nurse-call-security-code-1"/>
                  <wctp-MessageControl messageID="%s" deliveryPriority="HIGH"/>
                  <wctp-Recipient recipientID="%s"/>
                </wctp-SubmitHeader>
                <wctp-Payload><wctp-Alphanumeric>Bed 3 call bell</wctp-Alphanumeric></wctp-Payload>
              </wctp-SubmitRequest>
            </wctp-Operation>
            """;
}
