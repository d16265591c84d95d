package org.wardfleet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** Pickers find people by name, email or role: ids with display names, paged, active people of one's own hospital. */
@WardfleetTest
class StaffDirectoryTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aClinicianFindsColleaguesByNameOrEmailAndRole() {
        TestApi.User admin = api.newOrganisation();
        String grey = person(admin, "Meredith Grey", "CLINICIAN");
        String greyson = person(admin, "Amy Greyson", "INCIDENT_LEAD");
        person(admin, "Derek Shepherd", "CLINICIAN");
        TestApi.User asker = api.createUser(admin.token(), "CLINICIAN");

        Map<?, ?> found = search(asker, "q=grey");
        assertThat(ids(found)).containsExactly(greyson, grey); // by name: Amy before Meredith
        assertThat(found.get("total")).isEqualTo(2);
        assertThat(((Map<?, ?>) ((List<?>) found.get("items")).get(1)).get("displayName")).isEqualTo("Meredith Grey");
        // any case, by email too, and a pattern is plain text
        assertThat(ids(search(asker, "q=MEREDITH.GREY@"))).containsExactly(grey);
        assertThat(ids(search(asker, "q=.*"))).isEmpty();
        assertThat(ids(search(asker, "q=grey&role=incident_lead"))).containsExactly(greyson);
        // paged: one at a time, same order
        assertThat(ids(search(asker, "q=grey&size=1&page=1"))).containsExactly(grey);
    }

    @Test
    void disabledPeopleAndOtherHospitalsAreNotListedAndPagesAreBounded() {
        TestApi.User admin = api.newOrganisation();
        String leaver = person(admin, "Leaving Soon", "CLINICIAN");
        http.post().uri("/api/v1/users/{id}/disable", leaver).headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isOk();
        TestApi.User elsewhere = api.newOrganisation();
        person(elsewhere, "Leaving Elsewhere", "CLINICIAN");
        assertThat(ids(search(admin, "q=leaving"))).isEmpty();

        http.get().uri("/api/v1/directory?size=51").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].path").isEqualTo("size");
        http.get().uri("/api/v1/directory?role=SUPERUSER").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].allowed[0]").isEqualTo("ADMIN");
    }

    private String person(TestApi.User admin, String name, String role) {
        String email = name.toLowerCase().replace(' ', '.') + "@" + admin.id() + ".test";
        return (String) http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("email", email, "displayName", name, "roles", List.of(role),
                        "password", "pw-" + java.util.UUID.randomUUID()))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id");
    }

    private Map<?, ?> search(TestApi.User user, String query) {
        return http.get().uri("/api/v1/directory?" + query).headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<String> ids(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(i -> (String) ((Map<?, ?>) i).get("id")).toList();
    }
}
