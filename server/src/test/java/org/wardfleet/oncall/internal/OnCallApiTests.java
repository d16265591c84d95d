package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** Rotas through the API: who is on call at a moment, overrides, leave as a visible gap, permissions. */
@WardfleetTest
class OnCallApiTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired GapNotices gapNotices;
    @Autowired java.time.Clock clock;

    @Test
    void aRotaAnswersWhoIsOnCallAndShowsOverridesAndGaps() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User ben = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User owner = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User dev = api.createUser(admin.token(), "CLINICIAN");
        String role = (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "Cardiology registrar", "timeZone", "Europe/London",
                        "owners", List.of(owner.id()), "rota", Map.of("participants", List.of(ana.id(), ben.id()),
                                "start", "2026-03-28T08:00", "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");

        http.get().uri("/api/v1/oncall/roles/" + role + "/now?at=2026-03-29T07:30:00Z")
                .headers(h -> h.setBearerAuth(ana.token())).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.users[0].id").isEqualTo(ben.id())
                .jsonPath("$.shiftStart").isEqualTo("2026-03-29T07:00:00Z")
                .jsonPath("$.shiftEnd").isEqualTo("2026-03-30T07:00:00Z");

        // the owner arranges cover for Monday night; Ben's leave on Tuesday leaves a gap nobody covers
        http.post().uri("/api/v1/oncall/roles/" + role + "/overrides").headers(h -> h.setBearerAuth(owner.token()))
                .bodyValue(Map.of("userId", dev.id(), "from", "2026-03-30T20:00", "to", "2026-03-31T08:00"))
                .exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/oncall/roles/" + role + "/leave").headers(h -> h.setBearerAuth(ben.token()))
                .bodyValue(Map.of("userId", ben.id(), "from", "2026-03-31T08:00", "to", "2026-04-01T08:00"))
                .exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/oncall/roles/" + role + "/overrides").headers(h -> h.setBearerAuth(ben.token()))
                .bodyValue(Map.of("userId", ben.id(), "from", "2026-04-02T08:00", "to", "2026-04-03T08:00"))
                .exchange().expectStatus().isForbidden();

        http.get().uri("/api/v1/oncall/roles/" + role + "/now?at=2026-03-30T23:00:00Z")
                .headers(h -> h.setBearerAuth(ana.token())).exchange().expectBody()
                .jsonPath("$.users[0].id").isEqualTo(dev.id())
                .jsonPath("$.override").isEqualTo(true);
        http.get().uri("/api/v1/oncall/roles/" + role + "/schedule?from=2026-03-30T07:00:00Z&to=2026-04-01T07:00:00Z")
                .headers(h -> h.setBearerAuth(ana.token())).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.shifts[0].userIds[0]").isEqualTo(ana.id())
                .jsonPath("$.shifts[0].end").isEqualTo("2026-03-30T19:00:00Z")
                .jsonPath("$.shifts[1].userIds[0]").isEqualTo(dev.id())
                .jsonPath("$.shifts.length()").isEqualTo(2)
                .jsonPath("$.gaps[0].start").isEqualTo("2026-03-31T07:00:00Z")
                .jsonPath("$.gaps[0].end").isEqualTo("2026-04-01T07:00:00Z");
        http.get().uri("/api/v1/oncall/roles/" + role + "/now?at=2026-03-31T12:00:00Z")
                .headers(h -> h.setBearerAuth(ana.token())).exchange().expectBody()
                .jsonPath("$.users.length()").isEqualTo(0);

        // only ADMIN creates roles; a bad zone or duration is a clear problem
        http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(ana.token()))
                .bodyValue(Map.of("name", "x", "timeZone", "Europe/London", "rota", Map.of("participants",
                        List.of(ana.id()), "start", "2026-03-28T08:00", "shift", "P1D"))).exchange()
                .expectStatus().isForbidden();
        http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "x", "timeZone", "Mars/Olympus", "rota", Map.of("participants",
                        List.of(ana.id()), "start", "2026-03-28T08:00", "shift", "P1D"))).exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "x", "timeZone", "Europe/London", "rota", Map.of("participants",
                        List.of(ana.id()), "start", "2026-03-28T08:00", "shift", "daily"))).exchange()
                .expectStatus().isBadRequest();
        // the owner changes the rota: Dev joins the turn
        http.put().uri("/api/v1/oncall/roles/" + role + "/rota").headers(h -> h.setBearerAuth(owner.token()))
                .bodyValue(Map.of("participants", List.of(dev.id()), "start", "2026-04-10T08:00", "shift", "P7D"))
                .exchange().expectStatus().isOk();
        http.get().uri("/api/v1/oncall/roles/" + role + "/now?at=2026-04-12T12:00:00Z")
                .headers(h -> h.setBearerAuth(ana.token())).exchange().expectBody()
                .jsonPath("$.users[0].id").isEqualTo(dev.id());
        http.put().uri("/api/v1/oncall/roles/" + role + "/rota").headers(h -> h.setBearerAuth(ana.token()))
                .bodyValue(Map.of("participants", List.of(ana.id()), "start", "2026-04-10T08:00", "shift", "P7D"))
                .exchange().expectStatus().isForbidden();
        assertThat(http.get().uri("/api/v1/audit?size=200").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(String.class).returnResult().getResponseBody()).contains("oncall.override")
                .contains("oncall.leave");
    }

    @Test
    void aGapInTheNextWeekIsAWarningAndClinicianSeeTheirOwnShifts() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User ana = api.createUser(admin.token(), "CLINICIAN");
        TestApi.User lead = api.createUser(admin.token(), "CLINICIAN");
        org.wardfleet.support.TestDevice leadPhone = api.enrolledDevice(admin.token(), "COPE", lead.id());
        String start = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1) + "T08:00";
        String role = (String) http.post().uri("/api/v1/oncall/roles").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("name", "Rapid response", "timeZone", "UTC", "owners", List.of(lead.id()),
                        "rota", Map.of("participants", List.of(ana.id()), "start", start, "shift", "P1D")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
        String leaveFrom = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(3) + "T08:00";
        String leaveTo = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(4) + "T08:00";
        http.post().uri("/api/v1/oncall/roles/" + role + "/leave").headers(h -> h.setBearerAuth(ana.token()))
                .bodyValue(Map.of("userId", ana.id(), "from", leaveFrom, "to", leaveTo)).exchange()
                .expectStatus().isCreated();
        http.get().uri("/api/v1/oncall/roles/" + role + "/schedule").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.warnings.length()").isEqualTo(1)
                .jsonPath("$.warnings[0]").value(w -> assertThat((String) w).startsWith("No cover from"));
        http.get().uri("/api/v1/oncall/me/shifts?days=7").headers(h -> h.setBearerAuth(ana.token())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(2);
        // the owner is told in advance, once, on their phone
        gapNotices.check(clock.instant()).block();
        gapNotices.check(clock.instant()).block();
        Map<?, ?> inbox = http.get().uri("/device/v1/messages?after=0")
                .header("Authorization", "Device " + leadPhone.jwt("GET", "/device/v1/messages")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) inbox.get("messages")).hasSize(1);
    }
}
