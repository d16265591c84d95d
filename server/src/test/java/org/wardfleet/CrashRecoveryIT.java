package org.wardfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wardfleet.support.PackagedServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 in the middle of a burst, with the default storage, as the outside review did: the packaged jar takes pages,
 * broadcasts and audited actions from eight concurrent callers and is killed with SIGKILL while requests are in
 * flight. Restarted on the same data directory, everything it answered 2xx is still there, the pages it accepted go on
 * escalating, and the audit chain verifies with an entry for every acknowledged action.
 */
class CrashRecoveryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofMinutes(3);

    record Accepted(String kind, String id) {
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // two server starts, a burst and three escalation steps
    void everythingAnswered2xxBeforeAKillMinus9IsThereAfterTheRestartAndPagesEscalate(@TempDir Path root)
            throws Exception {
        // pages escalate every 10 s (the shortest step allowed), three rounds
        String[] args = {"--wardfleet.oncall.defaults.stat-step=10s", "--wardfleet.oncall.defaults.stat-repeat=3",
            // -Dcrash.durability=NONE shows what this test catches without durable replies
            "--wardfleet.mongodb.embedded-durability=" + System.getProperty("crash.durability", "SYNC")};
        int port = PackagedServer.freePort();
        Set<Accepted> accepted = ConcurrentHashMap.newKeySet();
        List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        Instant killedAt;
        String clinician;
        try (PackagedServer server = PackagedServer.start(PackagedServer.currentJava(), root, port, List.of(),
                args)) {
            HttpClient https = server.https();
            server.readiness(https);
            String admin = token(server, https);
            clinician = created(server.send(https, "POST", "/api/v1/users", admin, user("dr.kill@hospital.test"),
                    Map.of()));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            CountDownLatch warm = new CountDownLatch(40);
            ExecutorService callers = Executors.newFixedThreadPool(8);
            for (int c = 0; c < 8; c++) {
                int caller = c;
                callers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            Accepted done = switch ((caller + i) % 3) {
                                case 0 -> page(server, https, admin, clinician);
                                case 1 -> broadcast(server, https, admin);
                                default -> new Accepted("user", created(server.send(https, "POST", "/api/v1/users",
                                        admin, user("burst-" + UUID.randomUUID() + "@hospital.test"), Map.of())));
                            };
                            if (done.id() != null) {
                                accepted.add(done);
                            }
                            sent.incrementAndGet();
                            warm.countDown();
                        } catch (AssertionError refused) {
                            refusals.add(refused.getMessage());
                        } catch (Exception killedMidRequest) {
                            // the server is gone: this request was never answered, so it promised nothing
                            return null;
                        }
                    }
                    return null;
                });
            }
            assertThat(warm.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("burst under way").isTrue();
            server.kill(); // SIGKILL while the callers are still sending
            killedAt = Instant.now();
            stop.set(true);
            callers.shutdown();
            assertThat(callers.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(server.process().isAlive()).isFalse();
        }
        assertThat(refusals).as("requests refused while the server was up").isEmpty();
        assertThat(accepted).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(40);
        System.out.printf("CrashRecoveryIT: %d requests answered 2xx before SIGKILL%n", accepted.size());

        try (PackagedServer server = PackagedServer.start(PackagedServer.currentJava(), root,
                PackagedServer.freePort(), List.of(), args)) {
            HttpClient https = server.https();
            server.readiness(https);
            String admin = token(server, https);
            List<Accepted> missing = new ArrayList<>();
            for (Accepted a : accepted) {
                String path = switch (a.kind()) {
                    case "page" -> "/api/v1/pages/" + a.id();
                    case "broadcast" -> "/api/v1/broadcasts/" + a.id();
                    default -> "/api/v1/users/" + a.id();
                };
                if (server.send(https, "GET", path, admin, null, Map.of()).statusCode() != 200) {
                    missing.add(a);
                }
            }
            assertThat(missing).as("answered 2xx before the kill, gone after the restart").isEmpty();

            JsonNode verification = JSON.readTree(server.send(https, "GET", "/api/v1/audit/verify", admin, null,
                    Map.of()).body());
            assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
            Set<String> audited = auditedTargets(server, https, admin);
            assertThat(accepted).allSatisfy(a -> assertThat(audited).as("audit entry for %s", a).contains(a.id()));

            // the pages accepted before the kill escalate after the restart: a step fires that was due after it
            List<String> pages = accepted.stream().filter(a -> a.kind().equals("page")).map(Accepted::id).toList();
            assertThat(pages).isNotEmpty();
            Instant deadline = Instant.now().plus(WAIT);
            List<String> waiting = new ArrayList<>(pages);
            while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
                for (String id : List.copyOf(waiting)) {
                    JsonNode page = JSON.readTree(server.send(https, "GET", "/api/v1/pages/" + id, admin, null,
                            Map.of()).body());
                    for (JsonNode event : page.path("timeline")) {
                        String name = event.path("event").asString();
                        if ((name.equals("ESCALATED") || name.equals("FAILED"))
                                && Instant.parse(event.path("at").asString()).isAfter(killedAt)) {
                            waiting.remove(id);
                        }
                    }
                }
                TimeUnit.SECONDS.sleep(1);
            }
            assertThat(waiting).as("pages whose escalation did not resume after the restart").isEmpty();

            // and what the kill interrupted (answered or not) is finished or given up by recovery: no page is left
            // half written, with a message and no page record
            Instant recovered = Instant.now().plus(WAIT);
            String metrics = "";
            while (Instant.now().isBefore(recovered)) {
                metrics = server.send(https, "GET", "/actuator/prometheus", admin, null, Map.of()).body();
                if (metrics.contains("wardfleet_oncall_intents_pending 0.0")) {
                    break;
                }
                TimeUnit.SECONDS.sleep(1);
            }
            assertThat(metrics).as("unfinished page intents after recovery").contains(
                    "wardfleet_oncall_intents_pending 0.0");
        }
    }

    private static Accepted page(PackagedServer server, HttpClient https, String admin, String clinician)
            throws Exception {
        HttpResponse<String> response = server.send(https, "POST", "/api/v1/pages", admin,
                "{\"to\":{\"userId\":\"" + clinician + "\"},\"text\":\"Bed 4 review\",\"priority\":\"STAT\"}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        return new Accepted("page", created(response));
    }

    private static Accepted broadcast(PackagedServer server, HttpClient https, String admin) throws Exception {
        HttpResponse<String> response = server.send(https, "POST", "/api/v1/broadcasts", admin,
                "{\"audience\":{\"all\":true},\"text\":\"Major incident drill\",\"priority\":\"ROUTINE\","
                        + "\"choices\":[\"available\",\"not available\"],\"drill\":true}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        return new Accepted("broadcast", created(response));
    }

    /** The created id of a 201; anything else fails the test (the server was up: nothing may be refused). */
    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asString();
    }

    private static String user(String email) {
        return "{\"email\":\"" + email + "\",\"displayName\":\"Dr Burst\",\"roles\":[\"CLINICIAN\"],"
                + "\"password\":\"a long passphrase 1\"}";
    }

    private static String token(PackagedServer server, HttpClient https) throws Exception {
        HttpResponse<String> response = server.send(https, "POST", "/api/v1/auth/token", null,
                "{\"email\":\"" + PackagedServer.ADMIN + "\",\"password\":\"" + PackagedServer.PASSWORD + "\"}",
                Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private static Set<String> auditedTargets(PackagedServer server, HttpClient https, String admin)
            throws Exception {
        Set<String> targets = ConcurrentHashMap.newKeySet();
        for (int page = 0;; page++) {
            JsonNode body = JSON.readTree(server.send(https, "GET", "/api/v1/audit?size=200&page=" + page, admin,
                    null, Map.of()).body());
            body.path("items").forEach(e -> targets.add(e.path("target").asString()));
            if (body.path("items").size() < 200) {
                return targets;
            }
        }
    }
}
