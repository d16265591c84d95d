package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import reactor.core.publisher.Flux;

/** Every error a client can provoke comes back as an RFC 9457 problem with a stable type, never a stack trace. */
@WardfleetTest
class HttpBehaviourTests {

    @Autowired WebTestClient http;
    @Autowired TestApi api;

    private WebTestClient.ResponseSpec expectProblem(WebTestClient.ResponseSpec response, int status, String slug) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:" + slug)
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.requestId").isNotEmpty()
                .jsonPath("$.trace").doesNotExist();
        return response;
    }

    @Test
    void malformedJsonIsA400Problem() {
        String token = api.adminToken();
        expectProblem(http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": ").exchange(), 400,
                "malformed-request");
    }

    @Test
    void validationErrorsNameEachFieldPath() {
        String token = api.adminToken();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("email", "not-an-email", "displayName", "", "roles", java.util.List.of(),
                        "password", "x"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:validation-failed")
                .jsonPath("$.errors[?(@.path == 'email')]").exists()
                .jsonPath("$.errors[?(@.path == 'displayName')]").exists()
                .jsonPath("$.errors[?(@.path == 'roles')]").exists()
                // a rejected value may be a secret: never echoed
                .jsonPath("$.errors[*].rejectedValue").doesNotExist();
    }

    @Test
    void aWrongEnumValueNamesItsPath() {
        String token = api.adminToken();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"x@test.local\",\"displayName\":\"X\",\"roles\":[\"SUPERUSER\"],"
                        + "\"password\":\"long enough password\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:wardfleet:problem:malformed-request")
                .jsonPath("$.errors[0].path").isEqualTo("roles[0]");
    }

    @Test
    void missingTokenIsA401Problem() {
        expectProblem(http.get().uri("/api/v1/me").exchange(), 401, "unauthenticated");
    }

    @Test
    void garbageTokenIsA401Problem() {
        expectProblem(http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer not.a.jwt")
                .exchange(), 401, "unauthenticated");
    }

    @Test
    void wrongRoleIsA403Problem() {
        TestApi.User clinician = api.createUser(api.adminToken(), "CLINICIAN");
        expectProblem(http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(clinician.token())).exchange(),
                403, "forbidden");
    }

    @Test
    void unknownPathIsA404Problem() {
        String token = api.adminToken();
        expectProblem(http.get().uri("/api/v1/no-such-thing").headers(h -> h.setBearerAuth(token)).exchange(), 404,
                "not-found");
    }

    @Test
    void wrongMethodIsA405Problem() {
        String token = api.adminToken();
        expectProblem(http.delete().uri("/api/v1/me").headers(h -> h.setBearerAuth(token)).exchange(), 405,
                "method-not-allowed");
    }

    @Test
    void wrongContentTypeIsA415Problem() {
        String token = api.adminToken();
        expectProblem(http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange(), 415, "unsupported-media-type");
    }

    @Test
    void declaredOversizedBodyIsA413Problem() {
        String token = api.adminToken();
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        expectProblem(http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(big).exchange(), 413, "payload-too-large");
    }

    @Test
    void chunkedOversizedBodyIsA413Problem() {
        String token = api.adminToken();
        Flux<DataBuffer> chunks = Flux.range(0, 40).map(i -> {
            byte[] chunk = new byte[10 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            return DefaultDataBufferFactory.sharedInstance.wrap(chunk);
        });
        expectProblem(http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).body(chunks, DataBuffer.class).exchange(), 413,
                "payload-too-large");
    }

    @Test
    void securityHeadersAreOnEveryResponse() {
        http.get().uri("/api/v1/me").exchange()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("default-src 'self'").contains("frame-ancestors 'none'"));
    }

    @Test
    void corsIsClosedByDefault() {
        http.options().uri("/api/v1/me")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        http.get().uri("/api/v1/me").header(HttpHeaders.ORIGIN, "https://evil.example")
                .headers(h -> h.setBearerAuth(api.adminToken()))
                .exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        http.get().uri("/actuator/health/liveness").header("X-Request-Id", "client-chosen-id-42").exchange()
                .expectHeader().valueEquals("X-Request-Id", "client-chosen-id-42");
        http.get().uri("/actuator/health/liveness").header("X-Request-Id", "bad id with spaces").exchange()
                .expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    void readinessIncludesMongoAndLivenessIsUp() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.status").isEqualTo("UP");
        http.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheusMetricsNeedAnOperatorRole() {
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        TestApi.User clinician = api.createUser(api.adminToken(), "CLINICIAN");
        http.get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth(clinician.token())).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth(api.adminToken())).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentDescribesTheApiWithoutInternalParameters() {
        http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.info.title").isEqualTo("Wardfleet API")
                .jsonPath("$.paths['/api/v1/auth/token'].post").exists()
                .jsonPath("$.paths['/api/v1/users'].post").exists()
                .jsonPath("$.paths['/api/v1/audit/verify'].get").exists()
                .jsonPath("$.paths['/api/v1/me'].get.parameters").doesNotExist()
                .jsonPath("$.components.securitySchemes.bearer.scheme").isEqualTo("bearer");
        http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }
}
