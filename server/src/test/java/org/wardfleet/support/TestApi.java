package org.wardfleet.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.identity.Tenants;

/** Signs in and creates users and organisations through the public API, as a script would. */
@TestComponent
public class TestApi {

    public static final String ADMIN_EMAIL = "admin@test.local";
    public static final String ADMIN_PASSWORD = "test-admin-password-1";

    private final WebTestClient http;
    private final Tenants tenants;

    TestApi(WebTestClient http, Tenants tenants) {
        this.http = http;
        this.tenants = tenants;
    }

    public WebTestClient http() {
        return http;
    }

    public String token(String email, String password) {
        Map<?, ?> body = http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", email, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("access_token");
    }

    public String adminToken() {
        return token(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** A user in the admin's organisation; returns its id. */
    public User createUser(String adminToken, String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@test.local";
        String password = "pw-" + UUID.randomUUID();
        Map<?, ?> body = http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(adminToken))
                .bodyValue(Map.of("email", email, "displayName", "Test " + role, "roles", List.of(role),
                        "password", password))
                .exchange().expectStatus().isEqualTo(HttpStatus.CREATED)
                .expectBody(Map.class).returnResult().getResponseBody();
        return new User((String) body.get("id"), email, password, token(email, password));
    }

    /** A separate organisation with its own administrator. */
    public User newOrganisation() {
        String email = "admin-" + UUID.randomUUID() + "@other.test";
        String password = "pw-" + UUID.randomUUID();
        Tenants.NewTenant tenant = tenants.create("Other Hospital", email, password).block();
        return new User(tenant.adminUserId(), email, password, token(email, password));
    }

    public record User(String id, String email, String password, String token) {
    }
}
