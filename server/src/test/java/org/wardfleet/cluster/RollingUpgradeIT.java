package org.wardfleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
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

import tools.jackson.databind.JsonNode;

/**
 * A rolling upgrade behind HAProxy: each of two instances in turn is stopped gracefully (SIGTERM) and started again
 * while clients loop requests through the balancer and phones read and acknowledge pages. On SIGTERM readiness goes
 * {@code OUT_OF_SERVICE} and HAProxy takes the instance out while it still serves (the drain delay, every answer
 * closing its connection); then its device streams get a reconnect hint and move (the SDK opens the new stream before
 * it closes the old one), and only then does the web server stop. Not one request fails at the balancer, no receipt
 * is lost, every phone is on a stream again within seconds.
 */
class RollingUpgradeIT {

    static final int PHONES = Integer.getInteger("upgrade.phones", 40);
    static final int CLINICIANS = 5;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void stoppingAndRestartingEachInstanceInTurnFailsNoRequestAndLosesNoReceipt() throws Exception {
        Cluster cluster = Cluster.shared();
        {
            HttpClient http = cluster.client();
            String admin = cluster.adminToken(http);
            List<Phones.Clinician> clinicians = Phones.clinicians(cluster, http, admin, CLINICIANS);
            try (Phones phones = Phones.enroll(cluster, http, admin, clinicians, PHONES)) {
                phones.reading(); // every phone sends a READ receipt for each message it fetches
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
                    // every phone that was there is on a stream again: moved on the hint (the SDK opens its new stream
                    // before closing the old one) or, if its move did not finish in the window, reconnected after —
                    // and open now (a phone whose move landed on the draining instance is dropped once more, and back
                    // a moment later)
                    Cluster.waitFor("phones back on a stream", Cluster.WAIT, () -> phones.all().stream()
                            .allMatch(p -> p.droppedAfter(stopping) == null
                                    || p.connectedAfter(p.droppedAfter(stopping).minusSeconds(1)) != null)
                            && phones.open() == PHONES, () -> phones.open() + " open");
                    long moved = phones.all().stream().filter(p -> p.connectedAfter(stopping) != null).count();
                    System.out.printf("RollingUpgradeIT: %d phones moved off %s%n", moved, node.name);
                    assertThat(node.server.logText()).as("the stream handover in %s's log", node.name)
                            .contains("asked " + held + " device streams to reconnect elsewhere");
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

                // no receipt lost: every page's clinician READ it (the READ receipt a phone sent after its fetch,
                // which the SDK retries until an instance answers 2xx, was kept, whichever instance took it)
                List<String> unread = new ArrayList<>();
                Cluster.waitFor("every page READ by its clinician", Cluster.WAIT, () -> {
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
                    phones.all().stream().filter(p -> !p.unread.isEmpty())
                            .forEach(p -> unread.add(p.deviceId + " has unsent READ receipts " + p.unread));
                    return unread.isEmpty();
                }, unread::toString);
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
