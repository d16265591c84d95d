package org.wardfleet.identity.internal;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

/**
 * An expired access token is told apart from a bad one: {@code token-expired} says "sign in again", while a forged,
 * revoked or malformed token stays {@code unauthenticated}. (The identity provider's tokens: OidcProviderTokenTests.)
 */
@WardfleetTest
class TokenExpiryTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;
    @Autowired SigningKeys keys;
    @Autowired IdentityProperties properties;
    @Autowired UserRepository users;

    @Test
    void anExpiredTokenAnswersTokenExpiredSoTheClientSignsInAgain() {
        TestApi.User admin = api.newOrganisation();
        String expired = issuedAgo(admin, Duration.ofHours(2));
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(expired)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:token-expired");
        // within the allowed clock skew it is still good
        String justIssued = issuedAgo(admin, properties.tokenTtl().plusSeconds(10));
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(justIssued)).exchange().expectStatus().isOk();
    }

    @Test
    void aForgedOrRevokedTokenStaysUnauthenticatedEvenWhenExpired() {
        TestApi.User admin = api.newOrganisation();
        String expired = issuedAgo(admin, Duration.ofHours(2));
        String[] parts = expired.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        for (String token : new String[] {forged, "not-a-jwt", admin.token() + "x"}) {
            http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:unauthenticated");
        }
        // disabled user: its unexpired token is revoked, not expired
        TestApi.User clinician = api.createUser(admin.token(), "CLINICIAN");
        http.post().uri("/api/v1/users/{id}/disable", clinician.id()).headers(h -> h.setBearerAuth(admin.token()))
                .exchange().expectStatus().isOk();
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(clinician.token())).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:unauthenticated");
    }

    /** A genuine token (current key) as it was issued {@code ago}: its lifetime is the configured one. */
    private String issuedAgo(TestApi.User user, Duration ago) {
        StoredUser stored = users.findByEmailForSignIn(user.email()).block();
        Clock past = Clock.offset(Clock.systemUTC(), ago.negated());
        return new TokenIssuer(keys, properties, past).issue(stored).value();
    }
}
