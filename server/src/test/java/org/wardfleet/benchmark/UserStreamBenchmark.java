package org.wardfleet.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.console.sessions.BrowserSession;
import org.wardfleet.console.sessions.SessionStore;
import org.wardfleet.identity.SessionTokens;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

/**
 * The clinician app's live path at ward scale: {@code bench.users} (1,000) people, each with the app open — an app
 * session and the per-user event stream ({@code GET /api/v1/messages/stream}) held open — and one broadcast to all of
 * them: time from the send until each stream has its {@code message} event, p50/p99/max. Not part of the suite (tag
 * "benchmark"); run: {@code mvn -pl server test -Dtest=UserStreamBenchmark -Dwardfleet.excluded-groups=none}.
 * Not measured here: the same fan-out over the devices' stream (see BroadcastBenchmark for that path on its own).
 */
@Tag("benchmark")
@WardfleetTest
class UserStreamBenchmark {

    static final int USERS = Integer.getInteger("bench.users", 1_000);

    @Autowired TestApi api;
    @Autowired WebTestClient http;
    @Autowired SessionStore sessions;
    @Autowired SessionTokens tokens;
    @LocalServerPort int port;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void oneBroadcastToAThousandOpenApps() throws Exception {
        TestApi.User admin = api.newOrganisation();
        String orgId = (String) http.get().uri("/api/v1/me").headers(h -> h.setBearerAuth(admin.token())).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("orgId");
        TestApi.User lead = api.createUser(admin.token(), "INCIDENT_LEAD", "Incident lead");
        List<BrowserSession> people = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            people.add(person(admin, orgId, i));
        }
        // tokens last 5 minutes: minted once everyone exists, just before the streams open
        List<String> bearer = Flux.fromIterable(people)
                .concatMap(p -> tokens.issue(p.caller(), p.id()).map(SessionTokens.SessionToken::value))
                .collectList().block(Duration.ofMinutes(5));

        WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(
                        ConnectionProvider.builder("streams").maxConnections(USERS + 10).build()))).build();
        Map<Integer, Long> arrived = new ConcurrentHashMap<>();
        CountDownLatch connected = new CountDownLatch(USERS);
        CountDownLatch all = new CountDownLatch(USERS);
        List<Disposable> streams = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            int who = i;
            streams.add(client.get().uri("/api/v1/messages/stream").headers(h -> h.setBearerAuth(bearer.get(who)))
                    .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                    .doOnNext(e -> {
                        if (e.comment() != null && e.comment().equals("connected")) {
                            connected.countDown();
                        } else if ("message".equals(e.event()) && arrived.putIfAbsent(who, System.nanoTime()) == null) {
                            all.countDown();
                        }
                    })
                    .subscribe());
        }
        if (!connected.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + (USERS - connected.getCount()) + " streams connected");
        }
        long sent = System.nanoTime();
        http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(lead.token()))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "Benchmark", "priority", "STAT",
                        "choices", List.of("Available", "Not available")))
                .exchange().expectStatus().isCreated();
        boolean everyone = all.await(5, TimeUnit.MINUTES);
        List<Long> ms = new ArrayList<>(arrived.values().stream().map(t -> (t - sent) / 1_000_000).toList());
        Collections.sort(ms);
        System.out.printf("user-stream benchmark: java %s, %d cores, %d open apps: %d had the event%s; "
                        + "p50 %d ms, p99 %d ms, max %d ms after the send%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), USERS, ms.size(), everyone ? "" : " (others timed out)",
                ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, (int) (ms.size() * 0.99))), ms.get(ms.size() - 1));
        streams.forEach(Disposable::dispose);
    }

    /** A clinician with the app open: a user and an app session (no password sign-in per person). */
    private BrowserSession person(TestApi.User admin, String orgId, int i) {
        String email = "bench-" + i + "-" + UUID.randomUUID() + "@test.local";
        String id = (String) http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("email", email, "displayName", "Clinician " + i, "roles", List.of("CLINICIAN"),
                        "password", "pw-" + UUID.randomUUID()))
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("id");
        Caller caller = new Caller(id, orgId, email, Set.of(Role.CLINICIAN));
        Instant now = Instant.now();
        BrowserSession session = new BrowserSession(UUID.randomUUID().toString(), "app", caller,
                SignIns.Method.PASSWORD, "csrf", now, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));
        sessions.insert(session).block();
        return session;
    }
}
