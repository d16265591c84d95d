package org.wardfleet.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.RunningServer;
import org.wardfleet.support.SmallDisk;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;

/**
 * Storage trouble is loud, never silent: on a real file system that fills up, the running server says so (readiness
 * DOWN with the reason, the gauge at 0, writes answered 503 storage-unavailable with Retry-After), keeps answering
 * reads, recovers by itself once space is back, records the outage as security events and, after a restart, still
 * has everything it acknowledged. A data directory it cannot write stops it at start with the reason.
 */
class StorageFailureTests {

    private static final String PASSWORD = "storage-failure-password-1";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aFullDiskIsLoudRefusesWritesKeepsReadsAndRecoversWithoutARestart(@TempDir Path dir) throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("mnt"), 48)) {
            Map<String, String> settings = settings(disk.path());
            try (RunningServer server = RunningServer.start(settings)) {
                WebTestClient http = server.http();
                String admin = token(http);
                acknowledged.add(createUser(http, admin, "before@hospital.test").expectStatus().isCreated()
                        .expectBody(Map.class).returnResult().getResponseBody().get("id").toString());

                http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin))
                        .bodyValue(Map.of("senderId", "nursecall-disk", "securityCode", WCTP_CODE,
                                "allowedRecipients", List.of("user:*"))).exchange().expectStatus().isCreated();

                disk.fill();
                await().atMost(WAIT).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                        .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
                createUser(http, admin, "during@hospital.test")
                        .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectHeader().exists("Retry-After")
                        .expectBody().jsonPath("$.type").isEqualTo("urn:wardfleet:problem:storage-unavailable");
                // a paging system hears "temporary, resend" (WCTP 6xx), never a final refusal
                wctp(http, "bed3-full-disk").value(body -> assertThat(body).contains("errorCode=\"604\""));
                // reads keep working: the list still has the user created before
                http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin)).exchange()
                        .expectStatus().isOk().expectBody(String.class)
                        .value(body -> assertThat(body).contains("before@hospital.test"));
                http.get().uri("/actuator/health").headers(h -> h.setBearerAuth(admin)).exchange()
                        .expectBody(String.class).value(body -> assertThat(body).contains("MB free"));
                http.get().uri("/actuator/prometheus").headers(h -> h.setBearerAuth(admin)).exchange()
                        .expectBody(String.class)
                        .value(body -> assertThat(body).contains("wardfleet_storage_available 0.0"));

                disk.free();
                await().atMost(WAIT).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                        .expectStatus().isOk());
                wctp(http, "bed3-full-disk").value(body -> assertThat(body).contains("wctp-Success"));
                acknowledged.add(createUser(http, admin, "after@hospital.test").expectStatus().isCreated()
                        .expectBody(Map.class).returnResult().getResponseBody().get("id").toString());
                MongoDatabase db = server.bean(MongoDatabase.class);
                await().atMost(WAIT).until(() -> Flux.from(db.getCollection("security_events")
                        .find(Filters.in("type", "storage.unavailable", "storage.recovered")))
                        .map(d -> d.getString("type")).collectList().block(WAIT).containsAll(
                                List.of("storage.unavailable", "storage.recovered")));
            }
            try (RunningServer restarted = RunningServer.start(settings)) {
                List<String> users = Flux.from(restarted.bean(MongoDatabase.class).getCollection("users").find())
                        .map(d -> d.getString("_id")).collectList().block(WAIT);
                assertThat(users).containsAll(acknowledged);
            }
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenStopsTheServerAtStartWithTheReason(@TempDir Path dir) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("mnt"), 8)) {
            disk.readOnly();
            assertThatThrownBy(() -> RunningServer.start(settings(disk.path())).close())
                    .rootCause().hasMessageContaining("is not writable").hasMessageContaining("Read-only file system");
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryStopsAtOnceNamingTheHolder(@TempDir Path dir) {
        try (RunningServer first = RunningServer.start(settings(dir))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> RunningServer.start(settings(dir)).close())
                    .rootCause().hasMessageContaining("in use by another Wardfleet server")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    private static final String WCTP_CODE = "nurse-call-security-code-1";

    private static WebTestClient.BodySpec<String, ?> wctp(WebTestClient http, String messageId) {
        return http.post().uri("/wctp").contentType(MediaType.TEXT_XML).bodyValue("""
                <?xml version="1.0"?>
                <wctp-Operation wctpVersion="wctp-dtd-v1r3"><wctp-SubmitRequest>
                  <wctp-SubmitHeader submitTimestamp="2026-12-07T08:00:00">
                    <wctp-Originator senderID="nursecall-disk" securityCode="%s"/>
                    <wctp-MessageControl messageID="%s" deliveryPriority="HIGH"/>
                    <wctp-Recipient recipientID="user:before@hospital.test"/>
                  </wctp-SubmitHeader>
                  <wctp-Payload><wctp-Alphanumeric>Bed 3 call bell</wctp-Alphanumeric></wctp-Payload>
                </wctp-SubmitRequest></wctp-Operation>
                """.formatted(WCTP_CODE, messageId)).exchange().expectStatus().isOk().expectBody(String.class);
    }

    private static Map<String, String> settings(Path dataDir) {
        return Map.of("wardfleet.tls.enabled", "false",
                "wardfleet.data-dir", dataDir.toString(),
                "wardfleet.mongodb.embedded-min-free", "8MB",
                "wardfleet.bootstrap.admin-password", PASSWORD);
    }

    private static String token(WebTestClient http) {
        return (String) http.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("email", "admin@wardfleet.local", "password", PASSWORD)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("access_token");
    }

    private static WebTestClient.ResponseSpec createUser(WebTestClient http, String token, String email) {
        return http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token))
                .bodyValue(Map.of("email", email, "displayName", "Dr Test", "roles", List.of("CLINICIAN"),
                        "password", "a long passphrase 1"))
                .exchange();
    }
}
