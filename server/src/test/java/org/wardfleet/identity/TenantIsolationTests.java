package org.wardfleet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * Organisation A's administrator tries every endpoint on organisation B's data. Every new {@code /api/v1} endpoint
 * must be added to {@link #COVERED} with its cross-tenant check, or {@link #everyApiEndpointIsCoveredHere} fails.
 */
@WardfleetTest
class TenantIsolationTests {

    static final Set<String> COVERED = Set.of(
            "POST /api/v1/auth/token",
            "GET /api/v1/me",
            "GET /api/v1/me/web-push/key", // the server's public key, the same for everyone: WebPushTests
            "POST /api/v1/me/web-push/subscriptions", // the caller's own only: WebPushTests
            "DELETE /api/v1/me/web-push/subscriptions/{id}", // refused across people and organisations: WebPushTests
            "POST /api/v1/users",
            "GET /api/v1/users",
            "GET /api/v1/users/{id}",
            "POST /api/v1/users/{id}/disable",
            "POST /api/v1/users/{id}/enable",
            "POST /api/v1/users/{id}/password",
            "GET /api/v1/audit",
            "GET /api/v1/audit/verify",
            "POST /api/v1/enrollment/invitations",
            "GET /api/v1/enrollment/invitations",
            "GET /api/v1/enrollment/invitations/{id}",
            "POST /api/v1/enrollment/invitations/{id}/revoke",
            "GET /api/v1/devices",
            "GET /api/v1/devices/{id}",
            "POST /api/v1/devices/{id}/actions",
            "GET /api/v1/pki/ca",
            "POST /api/v1/pki/ca/import",
            "POST /api/v1/policies",
            "GET /api/v1/policies",
            "GET /api/v1/policies/{id}",
            "POST /api/v1/policies/{id}/versions",
            "GET /api/v1/policies/{id}/versions/{version}",
            "GET /api/v1/policies/{id}/diff",
            // checked across organisations in ConsolePoliciesTests (validate reads no stored data)
            "POST /api/v1/policies/validate",
            "GET /api/v1/policies/{id}/rollout/devices",
            "POST /api/v1/policies/{id}/publish",
            "POST /api/v1/policies/{id}/assignments",
            "GET /api/v1/policies/{id}/assignments",
            "DELETE /api/v1/policies/{id}/assignments/{assignmentId}",
            "GET /api/v1/policies/{id}/rollout",
            "GET /api/v1/devices/{id}/effective-policy",
            "GET /api/v1/compliance/summary",
            "GET /api/v1/events",
            // messaging: every lookup is by participant, so another organisation's ids are simply not found
            "POST /api/v1/conversations",
            "POST /api/v1/conversations/{id}/messages",
            "GET /api/v1/messages/{id}",
            "POST /api/v1/messages/{id}/recall",
            "POST /api/v1/messaging/roles",
            "POST /api/v1/oncall/roles",
            "GET /api/v1/oncall/roles",
            "POST /api/v1/oncall/roles/{id}/overrides",
            "POST /api/v1/oncall/roles/{id}/leave",
            "GET /api/v1/oncall/roles/{id}/now",
            "GET /api/v1/oncall/roles/{id}/schedule",
            "GET /api/v1/oncall/me/shifts",
            "POST /api/v1/escalation-policies",
            "POST /api/v1/pages",
            "GET /api/v1/pages/{id}",
            "POST /api/v1/pages/{id}/acknowledge",
            "POST /api/v1/pages/{id}/resolve",
            "PUT /api/v1/oncall/roles/{id}/rota",
            "PUT /api/v1/oncall/roles/{id}/escalation-policy",
            // registers a sender into the caller's own organisation; sender ids are global, so a taken one is 409
            "POST /api/v1/wctp/senders",
            "PUT /api/v1/users/{id}/contact-rules",
            "GET /api/v1/users/{id}/contact-rules",
            // broadcasts: the audience is resolved in the caller's organisation; the roll-up is by participation
            "POST /api/v1/broadcasts",
            "GET /api/v1/broadcasts/{id}",
            // the caller's own organisation's settings, by construction (no id in the path)
            "GET /api/v1/oncall/broadcast-settings",
            "PUT /api/v1/oncall/broadcast-settings",
            "PUT /api/v1/users/{id}/roles",
            "POST /api/v1/messages/{id}/receipts",
            "GET /api/v1/messages/stream",
            "GET /api/v1/messaging/roles",
            "GET /api/v1/devices/{id}/compliance",
            // a person's own devices: by the caller's user id within the caller's organisation
            "GET /api/v1/me/devices",
            "POST /api/v1/me/devices/{id}/approve",
            "GET /api/v1/access/devices/{id}",
            // reads no stored data: it inspects the evidence in the request body
            "POST /api/v1/attestation/inspect",
            // the caller's own password and organisation's directory: no id of anyone else's in the path
            "POST /api/v1/me/password",
            "GET /api/v1/directory",
            // lists: every query names the caller's organisation (organisationBsListsAndEditsAreOutOfReach)
            "GET /api/v1/pages",
            "GET /api/v1/conversations",
            "GET /api/v1/broadcasts",
            "GET /api/v1/escalation-policies",
            "GET /api/v1/escalation-policies/{id}",
            "PUT /api/v1/escalation-policies/{id}",
            "DELETE /api/v1/escalation-policies/{id}",
            "GET /api/v1/wctp/senders",
            "GET /api/v1/wctp/senders/{id}",
            "PUT /api/v1/wctp/senders/{id}",
            "POST /api/v1/wctp/senders/{id}/security-code",
            "GET /api/v1/oncall/roles/{id}",
            "PUT /api/v1/oncall/roles/{id}/owners",
            "GET /api/v1/oncall/roles/{id}/covers",
            "GET /api/v1/oncall/roles/{id}/covers/{coverId}",
            "PUT /api/v1/oncall/roles/{id}/covers/{coverId}",
            "DELETE /api/v1/oncall/roles/{id}/covers/{coverId}",
            // cross-tenant and cross-person checks in messaging.InboxApiTests
            "GET /api/v1/me/inbox",
            "GET /api/v1/conversations/{id}/messages");

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    @Test
    void everyApiEndpointIsCoveredHere() {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternsCondition().getPatterns()
                .forEach(pattern -> info.getMethodsCondition().getMethods()
                        .forEach(method -> {
                            if (pattern.getPatternString().startsWith("/api/")) {
                                endpoints.add(method.name() + " " + pattern.getPatternString());
                            }
                        })));
        assertThat(endpoints).isNotEmpty();
        assertThat(COVERED).containsAll(endpoints);
    }

    @Test
    void organisationACannotReadOrChangeOrganisationBsUsers() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        TestApi.User clinicianB = api.createUser(adminB.token(), "CLINICIAN");
        String a = adminA.token();

        http.get().uri("/api/v1/users/{id}", clinicianB.id()).headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/users/{id}/disable", clinicianB.id()).headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/users/{id}/enable", clinicianB.id()).headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/users/{id}/password", clinicianB.id()).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("password", "taken over by org A")).exchange()
                .expectStatus().isNotFound();
        http.put().uri("/api/v1/users/{id}/contact-rules", clinicianB.id()).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("pager", "1234")).exchange().expectStatus().isNotFound();
        http.put().uri("/api/v1/users/{id}/roles", clinicianB.id()).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("roles", List.of("ADMIN"))).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/users/{id}/contact-rules", clinicianB.id()).headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isNotFound();

        List<?> listed = (List<?>) http.get().uri("/api/v1/users?size=200").headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("items");
        assertThat(listed.stream().map(u -> String.valueOf(((Map<?, ?>) u).get("id"))).toList())
                .containsExactly(adminA.id());

        // B's user is untouched: still enabled, same password
        String stillWorks = api.token(clinicianB.email(), clinicianB.password());
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(stillWorks)).exchange().expectStatus().isOk();
    }

    @Test
    void aUserCreatedByOrganisationAStaysInOrganisationAWhateverTheBodySays() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        String orgB = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(adminB.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        String email = "planted-" + System.nanoTime() + "@test.local";
        // a body naming an organisation is refused outright (no such field), so nothing is planted anywhere
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(adminA.token()))
                .bodyValue(Map.of("email", email, "displayName", "P",
                        "roles", List.of("ADMIN"), "password", "plant me in org B", "orgId", orgB))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].path").isEqualTo("orgId");
        Map<?, ?> created = http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(adminA.token()))
                .bodyValue(Map.of("email", email, "displayName", "P",
                        "roles", List.of("ADMIN"), "password", "plant me in org B"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(created.get("orgId")).isNotEqualTo(orgB);
        http.get().uri("/api/v1/users/{id}", created.get("id")).headers(h -> h.setBearerAuth(adminB.token()))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void organisationACannotSeeOrganisationBsAuditTrail() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        api.createUser(adminB.token(), "CLINICIAN");
        http.get().uri(u -> u.path("/api/v1/audit").queryParam("actor", adminB.id()).build())
                .headers(h -> h.setBearerAuth(adminA.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        long entriesA = ((Number) http.get().uri("/api/v1/audit/verify").headers(h -> h.setBearerAuth(adminA.token()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("entries")).longValue();
        long totalA = ((Number) http.get().uri("/api/v1/audit?size=200").headers(h -> h.setBearerAuth(adminA.token()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("total")).longValue();
        assertThat(entriesA).isEqualTo(totalA);
        // A's own chain: organisation created, admin created, admin signed in
        assertThat(entriesA).isEqualTo(3);
    }

    @Test
    void organisationACannotSeeOrChangeOrganisationBsPolicies() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        String yaml = "apiVersion: wardfleet.org/policy/v1\nkind: Policy\nname: b-only\nsettings:\n"
                + "  passcode:\n    minLength: 9\n";
        var yamlType = org.springframework.http.MediaType.parseMediaType("application/yaml");
        String policyB = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(adminB.token()))
                .contentType(yamlType).bodyValue(yaml).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        String assignmentB = (String) http.post().uri("/api/v1/policies/{id}/assignments", policyB)
                .headers(h -> h.setBearerAuth(adminB.token())).bodyValue(Map.of("group", "icu")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        org.wardfleet.support.TestDevice deviceB = api.enrolledDevice(adminB.token(), "COPE", null);
        String a = adminA.token();

        for (String path : List.of("/api/v1/policies/" + policyB, "/api/v1/policies/" + policyB + "/versions/1",
                "/api/v1/policies/" + policyB + "/diff?from=1&to=1", "/api/v1/policies/" + policyB + "/assignments",
                "/api/v1/policies/" + policyB + "/rollout",
                "/api/v1/devices/" + deviceB.deviceId() + "/effective-policy")) {
            http.get().uri(path).headers(h -> h.setBearerAuth(a)).exchange().expectStatus().isNotFound();
        }
        http.post().uri("/api/v1/policies/{id}/publish", policyB).headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/policies/{id}/versions", policyB).headers(h -> h.setBearerAuth(a))
                .contentType(yamlType).bodyValue(yaml).exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/policies/{id}/assignments", policyB).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("ownership", "COPE")).exchange().expectStatus().isNotFound();
        http.delete().uri("/api/v1/policies/{id}/assignments/{a}", policyB, assignmentB)
                .headers(h -> h.setBearerAuth(a)).exchange().expectStatus().isNotFound();
        // A's own policy cannot be pointed at B's device either
        String policyA = (String) http.post().uri("/api/v1/policies").headers(h -> h.setBearerAuth(a))
                .contentType(yamlType).bodyValue(yaml.replace("b-only", "a-only")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.post().uri("/api/v1/policies/{id}/assignments", policyA).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("deviceId", deviceB.deviceId())).exchange().expectStatus().isNotFound();
        assertThat(http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(a)).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain("b-only");
        // B's policy is untouched: one version, one assignment
        http.get().uri("/api/v1/policies/{id}", policyB).headers(h -> h.setBearerAuth(adminB.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.latestVersion").isEqualTo(1)
                .jsonPath("$.assignments.length()").isEqualTo(1);
    }

    @Test
    void organisationACannotSeeOrUseOrganisationBsMessagingRolesOrMessages() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        TestApi.User nurseB = api.createUser(adminB.token(), "CLINICIAN");
        TestApi.User doctorB = api.createUser(adminB.token(), "CLINICIAN");
        http.post().uri("/api/v1/messaging/roles").headers(h -> h.setBearerAuth(adminB.token()))
                .bodyValue(Map.of("name", "b-team", "members", List.of(nurseB.id()))).exchange()
                .expectStatus().isCreated();
        TestApi.User doctorA = api.createUser(adminA.token(), "CLINICIAN");
        assertThat(http.get().uri("/api/v1/messaging/roles").headers(h -> h.setBearerAuth(adminA.token()))
                .exchange().expectBody(String.class).returnResult().getResponseBody()).doesNotContain("b-team");
        http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(doctorA.token()))
                .bodyValue(Map.of("participants", List.of("role:b-team"))).exchange().expectStatus().isBadRequest();
        http.post().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(doctorA.token()))
                .bodyValue(Map.of("participants", List.of(nurseB.id()))).exchange().expectStatus().isBadRequest();
        String conversationB = (String) http.post().uri("/api/v1/conversations")
                .headers(h -> h.setBearerAuth(doctorB.token())).bodyValue(Map.of("participants", List.of(nurseB.id())))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        String messageB = (String) http.post().uri("/api/v1/conversations/" + conversationB + "/messages")
                .headers(h -> h.setBearerAuth(doctorB.token())).header("Idempotency-Key", "b-1")
                .bodyValue(Map.of("text", "for B only", "priority", "ROUTINE")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.post().uri("/api/v1/conversations/" + conversationB + "/messages")
                .headers(h -> h.setBearerAuth(doctorA.token())).header("Idempotency-Key", "a-1")
                .bodyValue(Map.of("text", "intrusion", "priority", "ROUTINE")).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/messages/" + messageB).headers(h -> h.setBearerAuth(adminA.token())).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/messages/" + messageB + "/recall").headers(h -> h.setBearerAuth(doctorA.token()))
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/messages/" + messageB + "/receipts").headers(h -> h.setBearerAuth(doctorA.token()))
                .bodyValue(Map.of("state", "READ")).exchange().expectStatus().isNotFound();
    }

    @Test
    void organisationACannotSeeOrChangeOrganisationBsOnCallRoles() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        TestApi.User nurseB = api.createUser(adminB.token(), "CLINICIAN");
        String roleB = (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(adminB.token()))
                .bodyValue(Map.of("name", "b-cover", "timeZone", "UTC", "rota", Map.of("participants",
                        List.of(nurseB.id()), "start", "2026-01-01T08:00", "shift", "P1D"))).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        String a = adminA.token();
        http.get().uri("/api/v1/oncall/roles/" + roleB + "/now").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/v1/oncall/roles/" + roleB + "/schedule").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/oncall/roles/" + roleB + "/overrides").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("userId", nurseB.id(), "from", "2026-01-02T08:00", "to", "2026-01-03T08:00"))
                .exchange().expectStatus().isNotFound();
        http.put().uri("/api/v1/oncall/roles/" + roleB + "/rota").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("participants", List.of(nurseB.id()), "start", "2026-01-01T08:00", "shift", "P1D"))
                .exchange().expectStatus().isNotFound();
        http.put().uri("/api/v1/oncall/roles/" + roleB + "/escalation-policy").headers(h -> h.setBearerAuth(a))
                .bodyValue(java.util.Collections.singletonMap("escalationPolicyId", null)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/oncall/roles/" + roleB + "/leave").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("userId", nurseB.id(), "from", "2026-01-02T08:00", "to", "2026-01-03T08:00"))
                .exchange().expectStatus().isNotFound();
        assertThat(http.get().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(a)).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain("b-cover");
        // A cannot put B's nurse on its own rota either
        http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("name", "steal", "timeZone", "UTC", "rota", Map.of("participants",
                        List.of(nurseB.id()), "start", "2026-01-01T08:00", "shift", "P1D"))).exchange()
                .expectStatus().isBadRequest();
        http.get().uri("/api/v1/oncall/me/shifts").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
        // broadcast settings are the caller's organisation's: A allowing group broadcasts leaves B's rule alone
        http.put().uri("/api/v1/oncall/broadcast-settings").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("membersMayBroadcastToOwnGroups", true)).exchange().expectStatus().isOk();
        http.get().uri("/api/v1/oncall/broadcast-settings").headers(h -> h.setBearerAuth(adminB.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.membersMayBroadcastToOwnGroups").isEqualTo(false);
        // pages
        TestApi.User doctorB = api.createUser(adminB.token(), "CLINICIAN");
        String pageB = (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(doctorB.token()))
                .header("Idempotency-Key", "b-page").bodyValue(Map.of("to", Map.of("userId", nurseB.id()),
                        "text", "B only", "priority", "URGENT")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.get().uri("/api/v1/pages/" + pageB).headers(h -> h.setBearerAuth(a)).exchange().expectStatus()
                .isNotFound();
        http.post().uri("/api/v1/pages/" + pageB + "/acknowledge").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/pages/" + pageB + "/resolve").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        TestApi.User doctorA = api.createUser(a, "CLINICIAN");
        http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(doctorA.token())).header("Idempotency-Key",
                "a-page").bodyValue(Map.of("to", Map.of("roleId", roleB), "text", "x", "priority", "STAT"))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void organisationACannotSeeOrActOnOrganisationBsDevicesAndInvitations() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        Map<?, ?> invitationB = api.invitation(adminB.token(), Map.of("ownership", "COPE", "platform", "android",
                "maxUses", 2));
        org.wardfleet.support.TestDevice deviceB = org.wardfleet.support.TestDevice.p256();
        api.enroll((String) invitationB.get("secret"), deviceB, "android", Map.of());
        String a = adminA.token();

        http.get().uri("/api/v1/devices/{id}", deviceB.deviceId()).headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/v1/devices/{id}/actions", deviceB.deviceId()).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("type", "RETIRE")).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/devices/{id}/compliance", deviceB.deviceId()).headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/access/devices/{id}", deviceB.deviceId()).headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/compliance/summary").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.devices").isEqualTo(0);
        http.get().uri("/api/v1/devices?size=200").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        // B's device assigned to B's administrator: A's administrator can neither see nor approve it
        Map<?, ?> assignedB = api.invitation(adminB.token(), Map.of("ownership", "COPE", "platform", "android",
                "assignedUserId", adminB.id()));
        org.wardfleet.support.TestDevice phoneB = org.wardfleet.support.TestDevice.p256();
        api.enroll((String) assignedB.get("secret"), phoneB, "android", Map.of());
        http.post().uri("/api/v1/me/devices/{id}/approve", phoneB.deviceId()).headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/me/devices").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);
        http.get().uri("/api/v1/enrollment/invitations/{id}", invitationB.get("id")).headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/enrollment/invitations/{id}/revoke", invitationB.get("id"))
                .headers(h -> h.setBearerAuth(a)).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/enrollment/invitations?size=200").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        // an invitation naming another organisation's user is refused
        http.post().uri("/api/v1/enrollment/invitations").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("ownership", "BYOD", "platform", "android", "assignedUserId", adminB.id()))
                .exchange().expectStatus().isBadRequest();

        // each organisation has its own CA: A's fingerprint is not B's, and A cannot replace B's
        String caA = (String) http.get().uri("/api/v1/pki/ca").headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("sha256Fingerprint");
        String caB = (String) http.get().uri("/api/v1/pki/ca").headers(h -> h.setBearerAuth(adminB.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("sha256Fingerprint");
        assertThat(caA).isNotEqualTo(caB);

        // B's device and invitation are untouched
        api.deviceCall(deviceB, "POST", "/device/v1/checkin", Map.of()).expectStatus().isOk();
        api.enroll((String) invitationB.get("secret"), org.wardfleet.support.TestDevice.p256(), "android", Map.of());
    }

    @Test
    void organisationBsListsAndEditsAreOutOfReach() {
        TestApi.User adminA = api.newOrganisation();
        TestApi.User adminB = api.newOrganisation();
        TestApi.User nurseB = api.createUser(adminB.token(), "CLINICIAN", "Nurse of B");
        String a = adminA.token();
        String b = adminB.token();
        String roleB = api.onCallRole(b, "b-cover", nurseB.id());
        String coverB = (String) http.post().uri("/api/v1/oncall/roles/" + roleB + "/overrides")
                .headers(h -> h.setBearerAuth(b)).bodyValue(Map.of("userId", nurseB.id(), "from", "2026-01-02T08:00",
                        "to", "2026-01-03T08:00")).exchange().expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
        Map<String, Object> policy = Map.of("name", "b-policy", "repeat", 1, "steps", List.of(Map.of("waitSeconds",
                60, "targets", List.of(Map.of("userId", nurseB.id())))));
        String policyB = (String) http.post().uri("/api/v1/escalation-policies").headers(h -> h.setBearerAuth(b))
                .bodyValue(policy).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id");
        String senderB = "b-sender-" + System.nanoTime();
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(b)).bodyValue(Map.of("senderId", senderB,
                "securityCode", "b-security-code-123", "allowedRecipients", List.of("role:*"))).exchange()
                .expectStatus().isCreated();
        http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(b)).header("Idempotency-Key", "b-list-page")
                .bodyValue(Map.of("to", Map.of("userId", nurseB.id()), "text", "B only", "priority", "ROUTINE"))
                .exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(b)).bodyValue(Map.of("audience",
                Map.of("all", true), "text", "B only", "priority", "ROUTINE")).exchange().expectStatus().isCreated();

        // A's lists hold nothing of B's
        for (String list : List.of("/api/v1/pages", "/api/v1/broadcasts", "/api/v1/escalation-policies",
                "/api/v1/wctp/senders", "/api/v1/conversations")) {
            http.get().uri(list).headers(h -> h.setBearerAuth(a)).exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.total").isEqualTo(0);
        }
        assertThat(http.get().uri("/api/v1/directory?q=Nurse").headers(h -> h.setBearerAuth(a)).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).doesNotContain(nurseB.id());
        // and B's items are missing ones to A, to read or to change
        String cover = "/api/v1/oncall/roles/" + roleB + "/covers/" + coverB;
        for (String path : List.of("/api/v1/escalation-policies/" + policyB, "/api/v1/wctp/senders/" + senderB,
                "/api/v1/oncall/roles/" + roleB, "/api/v1/oncall/roles/" + roleB + "/covers", cover)) {
            http.get().uri(path).headers(h -> h.setBearerAuth(a)).exchange().expectStatus().isNotFound();
        }
        http.put().uri("/api/v1/escalation-policies/" + policyB).headers(h -> h.setBearerAuth(a)).bodyValue(Map.of(
                "name", "taken", "repeat", 1, "steps", List.of(Map.of("waitSeconds", 60, "targets",
                        List.of(Map.of("userId", adminA.id())))))).exchange().expectStatus().isNotFound();
        http.delete().uri("/api/v1/escalation-policies/" + policyB).headers(h -> h.setBearerAuth(a)).exchange()
                .expectStatus().isNotFound();
        http.put().uri("/api/v1/wctp/senders/" + senderB).headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("allowedRecipients", List.of("user:*"))).exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/wctp/senders/" + senderB + "/security-code").headers(h -> h.setBearerAuth(a))
                .exchange().expectStatus().isNotFound();
        http.put().uri("/api/v1/oncall/roles/" + roleB + "/owners").headers(h -> h.setBearerAuth(a))
                .bodyValue(Map.of("owners", List.of(adminA.id()))).exchange().expectStatus().isNotFound();
        http.put().uri(cover).headers(h -> h.setBearerAuth(a)).bodyValue(Map.of("userId", adminA.id(), "from",
                "2026-01-02T08:00", "to", "2026-01-03T08:00")).exchange().expectStatus().isNotFound();
        http.delete().uri(cover).headers(h -> h.setBearerAuth(a)).exchange().expectStatus().isNotFound();

        // B's things are untouched
        http.get().uri(cover).headers(h -> h.setBearerAuth(b)).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.userId").isEqualTo(nurseB.id());
        http.get().uri("/api/v1/escalation-policies/" + policyB).headers(h -> h.setBearerAuth(b)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("b-policy");
        http.get().uri("/api/v1/wctp/senders/" + senderB).headers(h -> h.setBearerAuth(b)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.allowedRecipients[0]").isEqualTo("role:*");
    }

    @Test
    void aTokenCannotBeReplayedAgainstAnotherOrganisation() {
        TestApi.User adminA = api.newOrganisation();
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(adminA.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(adminA.id());
    }
}
