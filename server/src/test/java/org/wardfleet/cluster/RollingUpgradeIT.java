package org.wardfleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * A rolling upgrade behind HAProxy: each of two instances in turn is stopped gracefully (SIGTERM) and started again
 * while clients loop requests through the balancer and phones read and acknowledge pages. On SIGTERM readiness goes
 * {@code OUT_OF_SERVICE} and HAProxy takes the instance out while it still serves (the drain delay, every answer
 * closing its connection); then its device streams get a reconnect hint and move — the new stream open before the old
 * one closes — and only then does the web server stop. Not one request fails at the balancer, no receipt is lost.
 */
class RollingUpgradeIT {

    static final int PHONES = Integer.getInteger("upgrade.phones", 40);
    static final int CLINICIANS = 5;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void stoppingAndRestartingEachInstanceInTurnFailsNoRequestAndLosesNoReceipt(@TempDir Path root)
            throws Exception {
        try (Cluster cluster = Cluster.start(root, 2)) {
            HttpClient http = cluster.client();
            String admin = cluster.adminToken(http);
            List<Phones.Clinician> clinicians = Phones.clinicians(cluster, http, admin, CLINICIANS);
            try (Phones phones = Phones.enroll(cluster, http, admin, clinicians, PHONES)) {
                phones.reading();
                phones.connect();
                Cluster.waitFor("every phone's stream open", Cluster.WAIT, () -> phones.open() == PHONES,
                        () -> phones.open() + " open");

                // clients looping through the balancer: reads, and pages that the phones then read
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger answered = new AtomicInteger();
                List<String> failures = new CopyOnWriteArrayList<>();
                Set<FailoverIT.Sent> pages = ConcurrentHashMap.newKeySet();
                ExecutorService clients = Executors.newFixedThreadPool(3);
                for (int c = 0; c < 3; c++) {
                    int client = c;
                    clients.submit(() -> {
                        HttpClient own = cluster.client(); // each its own kept-alive connection
                        for (int i = 0; running.get(); i++) {
                            try {
                                if (client == 0 && i % 5 == 0) {
                                    String to = clinicians.get(i / 5 % CLINICIANS).id();
                                    HttpResponse<String> response = cluster.send(own, "POST", "/api/v1/pages", admin,
                                            "{\"to\":{\"userId\":\"" + to + "\"},\"text\":\"Bed 9\","
                                                    + "\"priority\":\"URGENT\"}",
                                            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                                    if (response.statusCode() == 201) {
                                        pages.add(new FailoverIT.Sent(Cluster.JSON.readTree(response.body())
                                                .path("id").asString(), to, Instant.now()));
                                    } else {
                                        failures.add("POST page " + response.statusCode() + " " + response.body());
                                    }
                                } else {
                                    HttpResponse<String> response = cluster.send(own, "GET",
                                            "/api/v1/pages?size=5", admin, null, Map.of());
                                    if (response.statusCode() != 200) {
                                        failures.add("GET pages " + response.statusCode() + " " + response.body());
                                    }
                                }
                                answered.incrementAndGet();
                                TimeUnit.MILLISECONDS.sleep(50);
                            } catch (java.io.IOException e) {
                                failures.add(e.toString());
                            }
                        }
                        return null;
                    });
                }
                Cluster.waitFor("load under way", Cluster.WAIT, () -> answered.get() >= 20, answered::toString);

                for (Cluster.Node node : cluster.nodes()) {
                    int held = FailoverIT.streams(cluster, http, node, admin);
                    Instant stopping = Instant.now();
                    node.server.process().destroy(); // SIGTERM
                    cluster.awaitBalancer(node, false);
                    assertThat(node.server.process().isAlive())
                            .as("%s still serving when the balancer took it out", node.name).isTrue();
                    assertThat(node.server.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
                    System.out.printf("RollingUpgradeIT: %s stopped (%d streams) in %d ms%n", node.name, held,
                            java.time.Duration.between(stopping, Instant.now()).toMillis());
                    // every phone that was there moved before its old stream closed: never unreachable
                    List<String> gaps = new ArrayList<>();
                    for (Phones.Phone p : phones.all()) {
                        Instant dropped = p.droppedAfter(stopping);
                        if (dropped != null && (p.connectedAfter(stopping) == null
                                || p.connectedAfter(stopping).isAfter(dropped))) {
                            gaps.add(p.deviceId + " connected " + p.connected + " dropped " + p.dropped);
                        }
                    }
                    assertThat(gaps).as("phones whose stream closed before the new one opened").isEmpty();
                    assertThat(node.server.logText()).as("the stream handover in %s's log", node.name)
                            .contains("device streams to reconnect elsewhere")
                            .doesNotContain("device streams that did not move");
                    assertThat(phones.open()).isEqualTo(PHONES);
                    cluster.start(node);
                    cluster.ready(node);
                    cluster.awaitBalancer(node, true);
                    int before = answered.get();
                    Cluster.waitFor("load after " + node.name + " is back", Cluster.WAIT,
                            () -> answered.get() >= before + 20, answered::toString);
                }
                running.set(false);
                clients.shutdown();
                assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
                System.out.printf("RollingUpgradeIT: %d requests through the balancer, %d failed, %d pages%n",
                        answered.get(), failures.size(), pages.size());
                assertThat(failures).as("requests that failed at the balancer").isEmpty();

                // every page's clinician read it: each receipt a phone sent was kept
                List<String> unread = new ArrayList<>();
                Cluster.waitFor("every page READ", Cluster.WAIT, () -> {
                    unread.clear();
                    for (FailoverIT.Sent page : pages) {
                        JsonNode body = json(cluster, http, admin, page.id());
                        boolean read = false;
                        for (JsonNode r : body.path("recipients")) {
                            read |= r.path("userId").asString().equals(page.userId())
                                    && Set.of("READ", "ACKNOWLEDGED").contains(r.path("state").asString());
                        }
                        if (!read) {
                            unread.add(page.id() + " " + body.path("recipients"));
                        }
                    }
                    return unread.isEmpty();
                }, unread::toString);
                assertThat(phones.all().stream().mapToInt(p -> p.unread.size()).sum()).as("receipts unsent")
                        .isZero();
            }
        }
    }

    private static JsonNode json(Cluster cluster, HttpClient http, String admin, String page) {
        try {
            return Cluster.JSON.readTree(cluster.send(http, "GET", "/api/v1/pages/" + page, admin, null,
                    Map.of()).body());
        } catch (Exception e) {
            return Cluster.JSON.createObjectNode().put("error", e.toString());
        }
    }
}
