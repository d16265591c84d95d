package org.wardfleet.oncall.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * A broadcast goes to phones and pagers at STAT: a clinician may not alert the whole hospital (or a drill of it) unless
 * an administrator made them an incident lead; a group broadcast by one of its members only where the organisation
 * allows it.
 */
@WardfleetTest
class BroadcastPermissionTests {

    static final String FORBIDDEN = "urn:wardfleet:problem:broadcast-forbidden";

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aClinicianCannotAlertTheWholeHospitalUntilAnAdministratorMakesThemAnIncidentLead() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN");
        String cardiology = api.onCallRole(admin.token(), "cardiology", doctor.id());

        broadcast(nurse, Map.of("all", true), false).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo(FORBIDDEN);
        broadcast(nurse, Map.of("all", true), true).expectStatus().isForbidden();
        broadcast(nurse, Map.of("roleId", cardiology), false).expectStatus().isForbidden();

        http.put().uri("/api/v1/users/{id}/roles", nurse.id()).headers(h -> h.setBearerAuth(nurse.token()))
                .bodyValue(Map.of("roles", List.of("CLINICIAN", "INCIDENT_LEAD"))).exchange()
                .expectStatus().isForbidden();
        http.put().uri("/api/v1/users/{id}/roles", nurse.id()).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("roles", List.of("CLINICIAN", "INCIDENT_LEAD"))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.roles.length()").isEqualTo(2);

        // the token issued before the grant carries it too: roles are read on every request
        broadcast(nurse, Map.of("all", true), false).expectStatus().isCreated();
        broadcast(nurse, Map.of("all", true), true).expectStatus().isCreated();
        broadcast(nurse, Map.of("roleId", cardiology), false).expectStatus().isCreated();

        http.put().uri("/api/v1/users/{id}/roles", admin.id()).headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("roles", List.of("CLINICIAN"))).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:cannot-demote-self");
    }

    @Test
    void membersMayBroadcastToTheirOwnGroupOnlyWhereTheOrganisationAllowsIt() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User colleague = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User outsider = api.createUser(admin.token(), "CLINICIAN");
        http.post().uri("/api/v1/messaging/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "ward-7", "members", List.of(nurse.id(), colleague.id()))).exchange()
                .expectStatus().isCreated();

        http.get().uri("/api/v1/oncall/broadcast-settings").headers(h -> h.setBearerAuth(nurse.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.membersMayBroadcastToOwnGroups").isEqualTo(false);
        broadcast(nurse, Map.of("groupId", "ward-7"), false).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo(FORBIDDEN);

        settings(nurse, true).expectStatus().isForbidden();
        settings(admin, true).expectStatus().isOk();

        broadcast(nurse, Map.of("groupId", "ward-7"), false).expectStatus().isCreated();
        broadcast(nurse, Map.of("groupId", "ward-7"), true).expectStatus().isCreated();
        broadcast(outsider, Map.of("groupId", "ward-7"), false).expectStatus().isForbidden();
        broadcast(nurse, Map.of("all", true), false).expectStatus().isForbidden();
    }

    private WebTestClient.ResponseSpec broadcast(TestApi.User from, Map<String, Object> audience, boolean drill) {
        return http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(from.token()))
                .bodyValue(Map.of("audience", audience, "text", drill ? "DRILL: code blue, ward 7" : "Code blue, ward 7",
                        "priority", "STAT", "drill", drill))
                .exchange();
    }

    private WebTestClient.ResponseSpec settings(TestApi.User as, boolean allowed) {
        return http.put().uri("/api/v1/oncall/broadcast-settings").headers(h -> h.setBearerAuth(as.token()))
                .bodyValue(Map.of("membersMayBroadcastToOwnGroups", allowed)).exchange();
    }
}
