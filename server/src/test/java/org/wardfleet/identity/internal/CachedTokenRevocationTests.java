package org.wardfleet.identity.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.console.sessions.BrowserSession;
import org.wardfleet.console.sessions.SessionStore;
import org.wardfleet.identity.SessionTokens;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * A token already used (so remembered as verified, {@link VerifiedTokens}) is refused at once when its user is
 * disabled or its browser session ends — the remembered signature never stands in for those checks.
 */
@WardfleetTest
class CachedTokenRevocationTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired SessionStore sessions;
    @Autowired SessionTokens sessionTokens;

    @Test
    void aTokenUsedBeforeIsRefusedOnceItsUserIsDisabled() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
        me(clinician.token()).expectStatus().isOk();
        me(clinician.token()).expectStatus().isOk();

        http.post().uri("/api/v1/users/{id}/disable", clinician.id()).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        me(clinician.token()).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:unauthenticated");
    }

    @Test
    void aSessionTokenUsedBeforeIsRefusedOnceItsSessionIsSignedOut() {
        TestApi.User admin = api.newOrganisation();
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
        Instant now = Instant.now();
        BrowserSession session = new BrowserSession(UUID.randomUUID().toString(), "clinician",
                new Caller(clinician.id(), orgOf(admin), clinician.email(), java.util.Set.of(Role.CLINICIAN)),
                SignIns.Method.PASSWORD, "csrf", now, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(8)));
        sessions.insert(session).block(Duration.ofMinutes(1));
        String token = sessionTokens.issue(session.caller(), session.id()).block(Duration.ofMinutes(1)).value();
        me(token).expectStatus().isOk();
        me(token).expectStatus().isOk();

        sessions.delete(session.id()).block(Duration.ofMinutes(1));
        me(token).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:unauthenticated");
    }

    private WebTestClient.ResponseSpec me(String token) {
        return http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange();
    }

    private String orgOf(TestApi.User user) {
        return (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectStatus().isOk().expectBody(java.util.Map.class).returnResult().getResponseBody().get("orgId");
    }
}
