package org.wardfleet.identity;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

@WardfleetTest
class UserAdministrationTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void adminCreatesAUserWithTheFixedShapeAndTheUserCanSignIn() {
        String admin = api.adminToken();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("email", "Dr.Who@Test.Local", "displayName", "Dr Who", "roles", List.of("CLINICIAN"),
                        "password", "tardis-blue-box-1963"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/users/[0-9a-f-]{36}")
                .expectBody()
                .jsonPath("$.id").isNotEmpty()
                .jsonPath("$.email").isEqualTo("dr.who@test.local")
                .jsonPath("$.roles[0]").isEqualTo("CLINICIAN")
                .jsonPath("$.password").doesNotExist()
                .jsonPath("$.passwordHash").doesNotExist();
        String token = api.token("dr.who@test.local", "tardis-blue-box-1963");
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.displayName").isEqualTo("Dr Who");
    }

    @Test
    void duplicateEmailIsAConflict() {
        String admin = api.adminToken();
        TestApi.User user = api.createUser(admin, "CLINICIAN");
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("email", user.email().toUpperCase(), "displayName", "Twin", "roles",
                        List.of("CLINICIAN"), "password", "another long password"))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:email-taken");
    }

    @Test
    void shortPasswordIsRefusedWithItsPath() {
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(api.adminToken()))
                .bodyValue(Map.of("email", "short@test.local", "displayName", "Short", "roles", List.of("CLINICIAN"),
                        "password", "abc12345"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:weak-password")
                .jsonPath("$.errors[0].path").isEqualTo("password");
    }

    @Test
    void onlyAdminsManageUsers() {
        String admin = api.adminToken();
        for (String role : List.of("CLINICIAN", "SECURITY")) {
            TestApi.User user = api.createUser(admin, role);
            http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(user.token()))
                    .bodyValue(Map.of("email", "sneaky-" + role + "@test.local", "displayName", "S", "roles",
                            List.of("ADMIN"), "password", "escalate my privileges"))
                    .exchange().expectStatus().isForbidden();
            http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(user.token())).exchange()
                    .expectStatus().isForbidden();
            http.post().uri("/api/v1/users/{id}/disable", user.id()).headers(h -> h.setBearerAuth(user.token()))
                    .exchange().expectStatus().isForbidden();
        }
    }

    @Test
    void adminListsUsersPagedAndCannotLockThemselvesOut() {
        String admin = api.adminToken();
        api.createUser(admin, "CLINICIAN");
        http.get().uri("/api/v1/users?size=1").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.total").value(Integer.class, t -> org.assertj.core.api.Assertions.assertThat(t)
                        .isGreaterThanOrEqualTo(2));
        String adminId = http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        http.post().uri("/api/v1/users/{id}/disable", adminId).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:cannot-disable-self");
        http.get().uri("/api/v1/users?size=500").headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void securityStaffReadTheAuditButChangeNothing() {
        String admin = api.adminToken();
        TestApi.User security = api.createUser(admin, "SECURITY");
        http.get().uri("/api/v1/audit").headers(h -> h.setBearerAuth(security.token())).exchange()
                .expectStatus().isOk();
        http.get().uri("/api/v1/audit/verify").headers(h -> h.setBearerAuth(security.token())).exchange()
                .expectStatus().isOk();
        TestApi.User clinician = api.createUser(admin, "CLINICIAN");
        http.get().uri("/api/v1/audit").headers(h -> h.setBearerAuth(clinician.token())).exchange()
                .expectStatus().isForbidden();
    }
}
