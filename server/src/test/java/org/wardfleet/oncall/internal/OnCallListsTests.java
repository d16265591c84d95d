package org.wardfleet.oncall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * Pages and broadcasts as lists, newest first and filtered, with people named: administrators see every one (never
 * the text), a clinician the ones they sent or that name them.
 */
@WardfleetTest
@TestPropertySource(properties = "wardfleet.oncall.tick=1h") // no step fires while the lists are read
class OnCallListsTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void pagesAreListedNewestFirstFilteredAndNamedAndAClinicianSeesOnlyTheirOwn() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN", "Dr Ada Quinn");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN", "Nurse Bo Ray");
        TestApi.User other = api.createUser(admin.token(), "CLINICIAN", "Dr Cy Lee");
        String role = api.onCallRole(admin.token(), "Night registrar", nurse.id());
        String first = page(doctor, Map.of("userId", nurse.id()), "URGENT");
        String second = page(doctor, Map.of("roleId", role), "STAT");
        String third = page(other, Map.of("userId", doctor.id()), "ROUTINE");

        Map<?, ?> all = list(admin, "");
        assertThat(ids(all)).containsExactly(third, second, first);
        Map<String, Object> stat = item(all, 1);
        assertThat(stat.get("senderName")).isEqualTo("Dr Ada Quinn");
        assertThat(stat.get("to")).isEqualTo(Map.of("type", "role", "id", role, "name", "Night registrar"));
        assertThat(stat).doesNotContainKeys("text", "timeline");
        assertThat(((Map<?, ?>) item(all, 2).get("to")).get("name")).isEqualTo("Nurse Bo Ray");

        assertThat(ids(list(admin, "priority=STAT"))).containsExactly(second);
        assertThat(ids(list(admin, "roleId=" + role))).containsExactly(second);
        assertThat(ids(list(admin, "senderId=" + other.id()))).containsExactly(third);
        assertThat(ids(list(admin, "state=triggered&size=1&page=1"))).containsExactly(second);
        http.get().uri("/api/v1/pages?state=LOST").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].path").isEqualTo("state");
        http.get().uri("/api/v1/pages?size=201").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isBadRequest();

        // a clinician: the pages they sent, and those addressed to them by name
        assertThat(ids(list(doctor, ""))).containsExactly(third, second, first);
        assertThat(ids(list(nurse, ""))).containsExactly(first);
        assertThat(ids(list(other, ""))).containsExactly(third);
        assertThat(ids(list(nurse, "senderId=" + other.id()))).isEmpty();
    }

    @Test
    void aPageTimelineAndItsRecipientsNamePeople() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User doctor = api.createUser(admin.token(), "CLINICIAN", "Dr Ada Quinn");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN", "Nurse Bo Ray");
        String id = page(doctor, Map.of("userId", nurse.id()), "URGENT");
        http.post().uri("/api/v1/pages/" + id + "/acknowledge").headers(h -> h.setBearerAuth(nurse.token()))
                .exchange().expectStatus().isOk();

        http.get().uri("/api/v1/pages/" + id).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.senderId").isEqualTo(doctor.id())
                .jsonPath("$.senderName").isEqualTo("Dr Ada Quinn")
                .jsonPath("$.acknowledgedByName").isEqualTo("Nurse Bo Ray")
                .jsonPath("$.recipients[0].userId").isEqualTo(nurse.id())
                .jsonPath("$.recipients[0].displayName").isEqualTo("Nurse Bo Ray")
                .jsonPath("$.timeline[0].event").isEqualTo("TRIGGERED")
                .jsonPath("$.timeline[0].recipients[0]").isEqualTo(nurse.id())
                .jsonPath("$.timeline[0].names['" + nurse.id() + "']").isEqualTo("Nurse Bo Ray")
                .jsonPath("$.timeline[?(@.event == 'ACKNOWLEDGED')].displayName").isEqualTo(List.of("Nurse Bo Ray"));
    }

    @Test
    void broadcastsAreListedForAdministratorsAndTheirSendersAndTheRollUpNamesWhoHasNotAnswered() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User lead = api.createUser(admin.token(), "INCIDENT_LEAD", "Lead Di Fox");
        TestApi.User nurse = api.createUser(admin.token(), "CLINICIAN", "Nurse Bo Ray");
        TestApi.User security = api.createUser(admin.token(), "SECURITY", "Sec Ed Hale");
        String role = api.onCallRole(admin.token(), "Trauma team", nurse.id());
        String drill = broadcast(lead, Map.of("all", true), true);
        String real = broadcast(lead, Map.of("roleId", role), false);
        String byAdmin = broadcast(admin, Map.of("all", true), false);

        Map<?, ?> all = http.get().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(security.token()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(ids(all)).containsExactly(byAdmin, real, drill);
        assertThat(item(all, 1)).containsEntry("senderName", "Lead Di Fox").containsEntry("drill", false)
                .containsEntry("recipients", 1).doesNotContainKey("text");
        assertThat(item(all, 1).get("audience")).isEqualTo(Map.of("type", "role", "id", role, "name", "Trauma team"));
        assertThat(item(all, 2)).containsEntry("drill", true).containsEntry("recipients", 3);

        assertThat(ids(http.get().uri("/api/v1/broadcasts?drill=true").headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody())).containsExactly(drill);
        // the lead lists their own; a nurse who sent none lists none
        assertThat(ids(http.get().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(lead.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody())).containsExactly(real, drill);
        assertThat(ids(http.get().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(nurse.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody())).isEmpty();

        // security staff watch a roll-up they neither sent nor received, with the people not yet answered named
        http.get().uri("/api/v1/broadcasts/" + real).headers(h -> h.setBearerAuth(security.token())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.counts.recipients").isEqualTo(1)
                .jsonPath("$.pending[0]").isEqualTo(nurse.id())
                .jsonPath("$.pendingPeople[0].id").isEqualTo(nurse.id())
                .jsonPath("$.pendingPeople[0].displayName").isEqualTo("Nurse Bo Ray");
    }

    private String page(TestApi.User sender, Map<String, Object> to, String priority) {
        return (String) http.post().uri("/api/v1/pages").headers(h -> h.setBearerAuth(sender.token()))
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .bodyValue(Map.of("to", to, "text", "Bed 4 needs you", "priority", priority)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private String broadcast(TestApi.User sender, Map<String, Object> audience, boolean drill) {
        return (String) http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(sender.token()))
                .bodyValue(Map.of("audience", audience, "text", "Major incident: report status", "priority", "STAT",
                        "drill", drill))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private Map<?, ?> list(TestApi.User who, String query) {
        return http.get().uri("/api/v1/pages?" + query).headers(h -> h.setBearerAuth(who.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(Map<?, ?> page, int index) {
        return (Map<String, Object>) ((List<?>) page.get("items")).get(index);
    }

    private static List<String> ids(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(i -> (String) ((Map<?, ?>) i).get("id")).toList();
    }
}
