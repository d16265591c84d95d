package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** What changes after it is set up: escalation policies, overrides and leave, a role's owners. */
@WardfleetTest
class OnCallEditingTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void escalationPoliciesAreReadByAnyoneEditedByAdminsAndDeletedOnlyWhenNoRoleUsesThem() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN", "Nurse Bo Ray");
        String role = api.onCallRole(admin.token(), "Night registrar", nurse.id());
        String policy = (String) http.post().uri("/api/v1/escalation-policies")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "Nights", "repeat", 2, "steps", List.of(
                        Map.of("waitSeconds", 60, "targets", List.of(Map.of("roleId", role))),
                        Map.of("waitSeconds", 120, "targets", List.of(Map.of("userId", nurse.id()))))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        // a clinician reads it (to pick it when paging), with the people and roles named
        http.get().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(nurse.token()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("Nights")
                .jsonPath("$.steps[0].targets[0].roleId").isEqualTo(role)
                .jsonPath("$.steps[0].targets[0].name").isEqualTo("Night registrar")
                .jsonPath("$.steps[1].targets[0].name").isEqualTo("Nurse Bo Ray")
                .jsonPath("$.usedBy.length()").isEqualTo(0);
        http.get().uri("/api/v1/escalation-policies").headers(h -> h.setBearerAuth(nurse.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(policy);

        // edited by an ADMIN only; the edit is checked like a new policy
        Map<String, Object> shorter = Map.of("name", "Nights (short)", "repeat", 1, "steps", List.of(
                Map.of("waitSeconds", 30, "targets", List.of(Map.of("userId", nurse.id())))));
        http.put().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(nurse.token()))
                .bodyValue(shorter).exchange().expectStatus().isForbidden();
        http.put().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "x", "repeat", 1, "steps", List.of(Map.of("waitSeconds", 30,
                        "targets", List.of(Map.of("userId", "nobody")))))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].path")
                .isEqualTo("steps[0].targets[0].userId");
        http.put().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(shorter).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("Nights (short)")
                .jsonPath("$.steps.length()").isEqualTo(1);

        // in use by a role: refused, naming the role; free again: deleted, then gone
        http.put().uri("/api/v1/oncall/roles/" + role + "/escalation-policy")
                .headers(h -> h.setBearerAuth(admin.token())).bodyValue(Map.of("escalationPolicyId", policy))
                .exchange().expectStatus().isOk();
        http.delete().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:escalation-policy-in-use")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("Night registrar"));
        http.put().uri("/api/v1/oncall/roles/" + role + "/escalation-policy")
                .headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(java.util.Collections.singletonMap("escalationPolicyId", null))
                .exchange().expectStatus().isOk();
        http.delete().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(nurse.token()))
                .exchange().expectStatus().isForbidden();
        http.delete().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isNoContent();
        http.get().uri("/api/v1/escalation-policies/" + policy).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isNotFound();
        assertThat(audited(admin, "escalation.policy.change")).isEqualTo(1);
        assertThat(audited(admin, "escalation.policy.delete")).isEqualTo(1);
    }

    @Test
    void overridesAndLeaveAreChangedAndDeletedAndTheScheduleFollows() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN", "Ben");
        TestApi.User dev = api.createUser(admin.token(), "CLINICIAN", "Dev");
        String role = (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "Cardiology", "timeZone", "UTC", "rota", Map.of("participants",
                        List.of(ana.id(), ben.id()), "start", "2026-03-01T08:00", "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        String base = "/api/v1/oncall/roles/" + role;
        String override = created(admin, base + "/overrides", Map.of("userId", dev.id(), "from",
                "2026-03-02T20:00", "to", "2026-03-03T08:00"));
        String leave = created(ben, base + "/leave", Map.of("userId", ben.id(), "from", "2026-03-04T08:00",
                "to", "2026-03-05T08:00"));

        http.get().uri(base + "/covers?from=2026-03-01T00:00:00Z&to=2026-03-10T00:00:00Z")
                .headers(h -> h.setBearerAuth(ana.token())).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].id").isEqualTo(override)
                .jsonPath("$.items[0].kind").isEqualTo("OVERRIDE")
                .jsonPath("$.items[0].displayName").isEqualTo("Dev")
                .jsonPath("$.items[1].kind").isEqualTo("LEAVE");

        // the override moves to Ana's night; now Dev covers it instead of Ana
        http.put().uri(base + "/covers/" + override).headers(h -> h.setBearerAuth(ben.token()))
                .bodyValue(Map.of("userId", dev.id(), "from", "2026-03-03T20:00", "to", "2026-03-04T08:00"))
                .exchange().expectStatus().isForbidden();
        http.put().uri(base + "/covers/" + override).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("userId", dev.id(), "from", "2026-03-03T20:00", "to", "2026-03-04T08:00"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.from").isEqualTo("2026-03-03T20:00:00Z");
        onCall(ana, role, "2026-03-02T23:00:00Z", ben.id());
        onCall(ana, role, "2026-03-03T23:00:00Z", dev.id());

        // Ben shortens his own leave, cannot hand it to someone else, and then cancels it: the gap closes
        onCall(ana, role, "2026-03-04T12:00:00Z", null);
        http.put().uri(base + "/covers/" + leave).headers(h -> h.setBearerAuth(ben.token()))
                .bodyValue(Map.of("userId", ana.id(), "from", "2026-03-04T08:00", "to", "2026-03-04T10:00"))
                .exchange().expectStatus().isForbidden();
        http.put().uri(base + "/covers/" + leave).headers(h -> h.setBearerAuth(ben.token()))
                .bodyValue(Map.of("userId", ben.id(), "from", "2026-03-04T08:00", "to", "2026-03-04T10:00"))
                .exchange().expectStatus().isOk();
        onCall(ana, role, "2026-03-04T12:00:00Z", ben.id());
        http.delete().uri(base + "/covers/" + leave).headers(h -> h.setBearerAuth(ana.token())).exchange()
                .expectStatus().isForbidden();
        http.delete().uri(base + "/covers/" + leave).headers(h -> h.setBearerAuth(ben.token())).exchange()
                .expectStatus().isNoContent();
        http.get().uri(base + "/covers/" + leave).headers(h -> h.setBearerAuth(ben.token())).exchange()
                .expectStatus().isNotFound();
        onCall(ana, role, "2026-03-04T09:00:00Z", ben.id());
        assertThat(audited(admin, "oncall.override.change")).isEqualTo(1);
        assertThat(audited(admin, "oncall.leave.change")).isEqualTo(1);
        assertThat(audited(admin, "oncall.leave.delete")).isEqualTo(1);
    }

    @Test
    void anAdminNamesARolesOwnersWhoThenManageItsCover() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN", "Ana");
        TestApi.User lead = api.createUser(admin.token(), "CLINICIAN", "Lead");
        String role = api.onCallRole(admin.token(), "ICU", ana.id());
        String base = "/api/v1/oncall/roles/" + role;
        http.post().uri(base + "/overrides").headers(h -> h.setBearerAuth(lead.token()))
                .bodyValue(Map.of("userId", lead.id(), "from", "2026-05-01T08:00", "to", "2026-05-02T08:00"))
                .exchange().expectStatus().isForbidden();
        http.put().uri(base + "/owners").headers(h -> h.setBearerAuth(lead.token()))
                .bodyValue(Map.of("owners", List.of(lead.id()))).exchange().expectStatus().isForbidden();
        http.put().uri(base + "/owners").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("owners", List.of("nobody"))).exchange().expectStatus().isBadRequest();
        http.put().uri(base + "/owners").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("owners", List.of(lead.id()))).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.owners[0]").isEqualTo(lead.id())
                .jsonPath("$.names['" + lead.id() + "']").isEqualTo("Lead")
                .jsonPath("$.names['" + ana.id() + "']").isEqualTo("Ana");
        created(lead, base + "/overrides", Map.of("userId", lead.id(), "from", "2026-05-01T08:00",
                "to", "2026-05-02T08:00"));
        http.get().uri(base).headers(h -> h.setBearerAuth(ana.token())).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("ICU").jsonPath("$.owners[0]").isEqualTo(lead.id());
    }

    private String created(TestApi.User who, String path, Map<String, Object> body) {
        return (String) http.post().uri(path).headers(h -> h.setBearerAuth(who.token())).bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private void onCall(TestApi.User who, String role, String at, String userId) {
        var body = http.get().uri("/api/v1/oncall/roles/" + role + "/now?at=" + at)
                .headers(h -> h.setBearerAuth(who.token())).exchange().expectStatus().isOk().expectBody();
        if (userId == null) {
            body.jsonPath("$.users.length()").isEqualTo(0);
        } else {
            body.jsonPath("$.users[0].id").isEqualTo(userId);
        }
    }

    private long audited(TestApi.User admin, String action) {
        return ((Number) http.get().uri("/api/v1/audit?action=" + action).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("total")).longValue();
    }
}
