package org.wardfleet.identity;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/** Anyone changes their own password by proving the current one; guessing it is throttled like a sign-in. */
@WardfleetTest
class OwnPasswordTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void aClinicianChangesTheirPasswordAndEveryOtherSessionEnds() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        String otherSession = api.token(nurse.email(), nurse.password());

        Map<?, ?> answer = http.post().uri("/api/v1/me/password").headers(h -> h.setBearerAuth(nurse.token()))
                .bodyValue(Map.of("currentPassword", nurse.password(), "newPassword", "my own new passphrase"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String thisSession = (String) answer.get("access_token");

        // the session that changed it goes on with its new token; every earlier token is over
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(thisSession)).exchange().expectStatus().isOk();
        for (String old : new String[] {otherSession, nurse.token()}) {
            http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(old)).exchange()
                    .expectStatus().isUnauthorized();
        }
        http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", nurse.email(), "password", nurse.password()))
                .exchange().expectStatus().isUnauthorized();
        api.token(nurse.email(), "my own new passphrase");

        http.get().uri(u -> u.path("/api/v1/audit").queryParam("actor", nurse.id())
                        .queryParam("action", "user.password-change").build())
                .headers(h -> h.setBearerAuth(api.adminToken())).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].outcome").isEqualTo("SUCCESS");
    }

    @Test
    void aWrongCurrentPasswordIsRefusedAuditedAndThrottledLikeASignIn() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        for (int i = 0; i < 6; i++) {
            int attempt = i;
            http.post().uri("/api/v1/me/password").headers(h -> h.setBearerAuth(nurse.token()))
                    .bodyValue(Map.of("currentPassword", "guess number " + attempt, "newPassword",
                            "taken over by a thief"))
                    .exchange().expectStatus().isBadRequest().expectBody()
                    .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:current-password-wrong")
                    .jsonPath("$.errors[0].path").isEqualTo("currentPassword");
        }
        // past the allowance even the right password waits, and signing in from here waits too: one count
        http.post().uri("/api/v1/me/password").headers(h -> h.setBearerAuth(nurse.token()))
                .bodyValue(Map.of("currentPassword", nurse.password(), "newPassword", "taken over by a thief"))
                .exchange().expectStatus().isEqualTo(429).expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:rate-limited");
        http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", nurse.email(), "password", nurse.password()))
                .exchange().expectStatus().isEqualTo(429);
        http.get().uri(u -> u.path("/api/v1/audit").queryParam("actor", nurse.id())
                        .queryParam("action", "user.password-change").build())
                .headers(h -> h.setBearerAuth(api.adminToken())).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[0].outcome").isEqualTo("DENIED")
                .jsonPath("$.items[1].outcome").isEqualTo("FAILURE")
                .jsonPath("$.items[1].details.reason").isEqualTo("bad-credentials");
    }

    @Test
    void aWeakNewPasswordIsRefusedWithItsPathAndTheOldOneStillWorks() {
        TestApi.User nurse = api.createUser(api.adminToken(), "CLINICIAN");
        http.post().uri("/api/v1/me/password").headers(h -> h.setBearerAuth(nurse.token()))
                .bodyValue(Map.of("currentPassword", nurse.password(), "newPassword", "short"))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:weak-password")
                .jsonPath("$.errors[0].path").isEqualTo("newPassword");
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(nurse.token())).exchange().expectStatus().isOk();
    }
}
