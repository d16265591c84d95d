package org.wardfleet.identity;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** A hospital identity provider on loopback (discovery + JWKS), its tokens accepted and mapped to users. */
@WardfleetTest
class OidcProviderTokenTests {

    static final RSAKey PROVIDER_KEY = generate("idp-key");
    static final RSAKey ROGUE_KEY = generate("idp-key");
    static final DisposableServer PROVIDER = HttpServer.create().host("127.0.0.1").port(0)
            .route(routes -> routes
                    .get("/.well-known/openid-configuration", (req, res) -> res
                            .header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer()
                                    + "/jwks\",\"subject_types_supported\":[\"public\"],"
                                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}")))
                    .get("/jwks", (req, res) -> res.header("Content-Type", "application/json")
                            .sendString(Mono.just(new JWKSet(PROVIDER_KEY.toPublicJWK()).toString()))))
            .bindNow();

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.oidc.issuer-uri", OidcProviderTokenTests::issuer);
        registry.add("wardfleet.oidc.audience", () -> "wardfleet");
        registry.add("wardfleet.oidc.role-prefix", () -> "wardfleet-");
    }

    @AfterAll
    static void stop() {
        PROVIDER.disposeNow();
    }

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    @Test
    void providerTokenSignsInAndProvisionsTheUserInTheNamedOrganisation() {
        String orgId = orgOfAdmin();
        String token = providerToken(PROVIDER_KEY, orgId, "nurse.jones@hospital.test", List.of("wardfleet-clinician"),
                "wardfleet");
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.email").isEqualTo("nurse.jones@hospital.test")
                .jsonPath("$.orgId").isEqualTo(orgId)
                .jsonPath("$.roles[0]").isEqualTo("CLINICIAN");
        // the provider's clinician is no administrator
        http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isForbidden();
        // and the admin sees the provisioned user
        http.get().uri("/api/v1/users?size=200").headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectBody().jsonPath("$.items[?(@.email == 'nurse.jones@hospital.test')]").exists();
    }

    @Test
    void tokensSignedByAnotherKeyOrForAnotherAudienceOrWithoutKnownRolesAreRefused() {
        String orgId = orgOfAdmin();
        for (String bad : List.of(
                providerToken(ROGUE_KEY, orgId, "x1@hospital.test", List.of("wardfleet-admin"), "wardfleet"),
                providerToken(PROVIDER_KEY, orgId, "x2@hospital.test", List.of("wardfleet-admin"), "other-app"),
                providerToken(PROVIDER_KEY, orgId, "x3@hospital.test", List.of("superuser"), "wardfleet"))) {
            http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(bad)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:unauthenticated");
        }
    }

    @Test
    void anExpiredProviderTokenAnswersTokenExpiredAndARogueOneDoesNot() {
        String orgId = orgOfAdmin();
        java.time.Instant issued = Instant.now().minusSeconds(3600);
        String expired = providerToken(PROVIDER_KEY, orgId, "late@hospital.test", List.of("wardfleet-clinician"),
                "wardfleet", issued);
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(expired)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:token-expired");
        String rogue = providerToken(ROGUE_KEY, orgId, "late@hospital.test", List.of("wardfleet-clinician"),
                "wardfleet", issued);
        http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(rogue)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:unauthenticated");
    }

    private String orgOfAdmin() {
        return (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
    }

    static String issuer() {
        return "http://127.0.0.1:" + PROVIDER.port();
    }

    static String providerToken(RSAKey key, String orgId, String email, List<String> roles, String audience) {
        return providerToken(key, orgId, email, roles, audience, Instant.now());
    }

    /** A token issued at {@code now}, valid for five minutes from then. */
    static String providerToken(RSAKey key, String orgId, String email, List<String> roles, String audience,
            Instant now) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(email).audience(audience)
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                    .claim("email", email).claim("roles", roles).claim("wardfleet_org", orgId).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
