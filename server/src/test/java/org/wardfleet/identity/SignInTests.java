package org.wardfleet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

@WardfleetTest
class SignInTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void tokenHasTheFixedShapeAndVerifiesWithThePublishedJwks() throws Exception {
        Map<?, ?> body = http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", TestApi.ADMIN_EMAIL, "password", TestApi.ADMIN_PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body.keySet().stream().map(Object::toString)).contains("access_token", "token_type", "expires_in");
        assertThat(body.get("token_type")).isEqualTo("Bearer");
        assertThat(((Number) body.get("expires_in")).longValue()).isBetween(60L, 3600L);

        SignedJWT jwt = SignedJWT.parse((String) body.get("access_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();

        String jwks = http.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JWKSet set = JWKSet.parse(jwks);
        ECKey key = (ECKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isNotNull();
        assertThat(key.isPrivate()).as("JWKS must never publish the private key").isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(jwt.getJWTClaimsSet().getIssueTime());
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        String wrong = http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", TestApi.ADMIN_EMAIL, "password", "not-the-password-at-all"))
                .exchange().expectStatus().isUnauthorized()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(wrong).contains("urn:wardfleet:problem:invalid-credentials", "Email or password is wrong");
        http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", "nobody-here@test.local", "password", "not-the-password-at-all"))
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:invalid-credentials")
                .jsonPath("$.detail").isEqualTo("Email or password is wrong");
        assertThat(wrong).doesNotContain("not-the-password-at-all");
    }

    @Test
    void repeatedFailuresOnOneAccountAreThrottledWithRetryAfter() {
        TestApi.User user = api.createUser(api.adminToken(), "CLINICIAN");
        for (int i = 0; i < 5; i++) {
            http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", user.email(), "password", "wrong-" + i))
                    .exchange().expectStatus().isUnauthorized();
        }
        // the sixth failure starts the back-off
        http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", user.email(), "password", "wrong-6"))
                .exchange().expectStatus().isUnauthorized();
        // now even the right password waits: the attacker cannot tell that it was right
        http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", user.email(), "password", user.password()))
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:rate-limited");
        // other accounts are not affected
        api.adminToken();
    }

    @Test
    void disablingAUserEndsTheirTokenAtOnce() {
        String admin = api.adminToken();
        TestApi.User user = api.createUser(admin, "CLINICIAN");
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange().expectStatus().isOk();

        http.post().uri("/api/v1/users/{id}/disable", user.id()).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.disabled").isEqualTo(true);

        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectStatus().isUnauthorized();
        http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", user.email(), "password", user.password()))
                .exchange().expectStatus().isUnauthorized();

        http.post().uri("/api/v1/users/{id}/enable", user.id()).headers(h -> h.setBearerAuth(admin)).exchange()
                .expectStatus().isOk();
        api.token(user.email(), user.password());
    }

    @Test
    void passwordResetEndsOldTokensAndTheNewPasswordWorks() {
        String admin = api.adminToken();
        TestApi.User user = api.createUser(admin, "CLINICIAN");
        http.post().uri("/api/v1/users/{id}/password", user.id()).headers(h -> h.setBearerAuth(admin))
                .bodyValue(Map.of("password", "a brand new passphrase")).exchange().expectStatus().isNoContent();

        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(user.token())).exchange()
                .expectStatus().isUnauthorized();
        http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", user.email(), "password", user.password()))
                .exchange().expectStatus().isUnauthorized();
        String fresh = api.token(user.email(), "a brand new passphrase");
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(fresh)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(user.email());
    }

    @Test
    void signInsAreAuditedBothWays() {
        TestApi.User user = api.createUser(api.adminToken(), "CLINICIAN");
        http.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", user.email(), "password", "wrong-password"))
                .exchange().expectStatus().isUnauthorized();
        api.token(user.email(), user.password());

        http.get().uri(u -> u.path("/api/v1/audit").queryParam("actor", user.id())
                        .queryParam("action", "auth.login").build())
                .headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectStatus().isOk()
                .expectBody()
                // the sign-in inside createUser, the failure, the success
                .jsonPath("$.total").isEqualTo(3)
                .jsonPath("$.items[0].outcome").isEqualTo("SUCCESS")
                .jsonPath("$.items[1].outcome").isEqualTo("FAILURE")
                .jsonPath("$.items[1].details.reason").isEqualTo("bad-credentials")
                .jsonPath("$.items[0].sourceAddress").isNotEmpty()
                .jsonPath("$.items[0].requestId").isNotEmpty();
    }
}
