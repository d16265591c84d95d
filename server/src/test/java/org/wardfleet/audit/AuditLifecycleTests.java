package org.wardfleet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RunningServer;

/**
 * An application that is stopped and started again (Spring pauses idle contexts this way; operators may too) keeps
 * signing people in and keeps its audit chain: the writers that serialise appends must survive the pause.
 */
class AuditLifecycleTests {

    private static final String PASSWORD = "lifecycle-test-password-1";

    @Test
    void signInAndAuditKeepWorkingAfterTheApplicationIsStoppedAndStartedAgain() {
        try (RunningServer server = RunningServer.start(Map.of(
                "wardfleet.tls.enabled", "false",
                "wardfleet.mongodb.embedded", "MEMORY",
                "wardfleet.bootstrap.admin-password", PASSWORD))) {
            String before = token(server.http());
            long entriesBefore = entries(server.http(), before);

            server.pauseAndResume();

            String after = token(server.http());
            Map<?, ?> verified = verify(server.http(), after);
            assertThat(verified.get("valid")).isEqualTo(true);
            // the second sign-in was audited after the pause, on the same unbroken chain
            assertThat(((Number) verified.get("entries")).longValue()).isGreaterThan(entriesBefore);
        }
    }

    private static String token(WebTestClient http) {
        Map<?, ?> body = http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", "admin@wardfleet.local", "password", PASSWORD))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("access_token");
    }

    private static long entries(WebTestClient http, String token) {
        return ((Number) verify(http, token).get("entries")).longValue();
    }

    private static Map<?, ?> verify(WebTestClient http, String token) {
        return http.get().uri("/api/v1/audit/verify").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
