package org.wardfleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import tools.jackson.databind.JsonNode;

/**
 * One of two instances behind HAProxy is killed with SIGKILL while 200 phones hold streams across both and pages and a
 * broadcast are in flight ({@link Cluster}: database process, packaged jars, HAProxy in TLS passthrough). Every phone
 * is back on the survivor within 10 s and fetches what it missed; every page answered 2xx exists and escalates to the
 * end, each step once, on time (a step the dead instance had claimed is taken over when its lease runs out); the
 * broadcast's roll-up completes. The killed instance then restarts and rejoins: a second round of pages and a
 * broadcast reach every phone once and escalate once per step.
 */
class FailoverIT {

    static final int PHONES = Integer.getInteger("failover.phones", 200);
    static final int CLINICIANS = 20;
    /**
     * Issue 25: no escalation step fires later than this past its due time during the failover — a step the killed
     * instance had claimed in the moment it died included (the survivor takes it over when the 1.5 s lease ends).
     */
    static final long LATEST_MS = 2_000;

    record Sent(String id, String userId, Instant at) {
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killingOneInstanceLosesNoPageNoPhoneAndNoEscalationStep() throws Exception {
        Cluster cluster = Cluster.shared();
        {
            HttpClient http = cluster.client();
            String admin = cluster.adminToken(http);
            List<Phones.Clinician> clinicians = Phones.clinicians(cluster, http, admin, CLINICIANS);
            try (Phones phones = Phones.enroll(cluster, http, admin, clinicians, PHONES)) {
                phones.connect();
                Cluster.waitFor("every phone's stream open", Cluster.WAIT, () -> phones.open() == PHONES,
                        () -> phones.open() + " open");
                Cluster.Node victim = cluster.nodes().get(0);
                Cluster.Node survivor = cluster.nodes().get(1);
                int onVictim = streams(cluster, http, victim, admin);
                assertThat(onVictim).as("streams on the instance to be killed").isGreaterThan(0);
                assertThat(streams(cluster, http, survivor, admin)).as("streams on the survivor").isGreaterThan(0);

                // pages in flight: one sender paging clinicians every 300 ms through the balancer, before and after
                Set<Sent> pages = ConcurrentHashMap.newKeySet();
                AtomicBoolean paging = new AtomicBoolean(true);
                ExecutorService sender = Executors.newSingleThreadExecutor();
                sender.submit(() -> {
                    while (paging.get()) {
                        Phones.Clinician to = clinicians.get(ThreadLocalRandom.current().nextInt(CLINICIANS));
                        pages.add(page(cluster, http, admin, to.id()));
                        TimeUnit.MILLISECONDS.sleep(300);
                    }
                    return null;
                });
                Cluster.waitFor("pages under way", Cluster.WAIT, () -> pages.size() >= 5, () -> pages.size() + "");
                String broadcast = broadcast(cluster, http, admin);
                cluster.kill(victim);
                Instant killed = Instant.now();
                System.out.printf("FailoverIT: killed %s at %s holding %d of %d streams%n", victim.name, killed, onVictim,
                        PHONES);

                // every phone whose stream died is back (on the survivor: the only one left) within 10 s
                List<Phones.Phone> moved = new ArrayList<>();
                Cluster.waitFor("phones to reconnect", Cluster.WAIT, () -> {
                    moved.clear();
                    phones.all().stream().filter(p -> p.droppedAfter(killed.minusSeconds(1)) != null)
                            .forEach(moved::add);
                    return moved.size() >= onVictim && moved.stream().allMatch(p -> p.connectedAfter(
                            p.droppedAfter(killed.minusSeconds(1))) != null);
                }, () -> moved.size() + " dropped");
                long slowest = moved.stream().mapToLong(p -> Duration.between(killed, p.connectedAfter(
                        p.droppedAfter(killed.minusSeconds(1)))).toMillis()).max().orElse(0);
                System.out.printf("FailoverIT: %d phones reconnected, the last %d ms after the kill%n", moved.size(),
                        slowest);
                assertThat(slowest).as("ms from the kill to the last phone back").isLessThanOrEqualTo(10_000);
                assertThat(phones.open()).isEqualTo(PHONES);
                cluster.awaitBalancer(victim, false);

                Cluster.waitFor("pages after the kill", Cluster.WAIT,
                        () -> pages.stream().filter(p -> p.at().isAfter(killed.plusSeconds(2))).count() >= 5,
                        () -> pages.size() + "");
                paging.set(false);
                sender.shutdown();
                assertThat(sender.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

                // nothing answered 2xx is lost; every step fires once and on time; the broadcast completes
                escalatedToTheEnd(cluster, http, admin, pages);
                rollUpCompletes(cluster, http, admin, broadcast);
                everyPhoneHas(cluster, http, admin, pages);

                // the killed instance comes back and takes its share again, without duplicates
                cluster.start(victim);
                cluster.ready(victim);
                cluster.awaitBalancer(victim, true);
                Instant rejoined = Instant.now();
                Set<Sent> after = ConcurrentHashMap.newKeySet();
                for (Phones.Clinician c : clinicians.subList(0, 5)) {
                    after.add(page(cluster, http, admin, c.id()));
                }
                String second = broadcast(cluster, http, admin);
                escalatedToTheEnd(cluster, http, admin, after);
                rollUpCompletes(cluster, http, admin, second);
                everyPhoneHas(cluster, http, admin, after);
                assertThat(phones.duplicates()).as("messages a phone received twice").isEmpty();
            }
        }
    }

    /** Holds: each page exists, ends FAILED after its last round, each (round, step) fired once and on time. */
    private static void escalatedToTheEnd(Cluster cluster, HttpClient http, String admin, Set<Sent> pages)
            throws Exception {
        assertThat(pages).isNotEmpty();
        List<String> problems = new ArrayList<>();
        long latest = 0;
        for (Sent page : pages) {
            JsonNode body = null;
            Instant deadline = Instant.now().plus(Cluster.WAIT);
            while (Instant.now().isBefore(deadline)) {
                HttpResponse<String> response = cluster.send(http, "GET", "/api/v1/pages/" + page.id(), admin, null,
                        Map.of());
                assertThat(response.statusCode()).as("page %s answered 2xx, then: %s", page.id(), response.body())
                        .isEqualTo(200);
                body = Cluster.JSON.readTree(response.body());
                if (body.path("state").asString().equals("FAILED")) {
                    break;
                }
                TimeUnit.SECONDS.sleep(1);
            }
            assertThat(body.path("state").asString()).as("page %s: %s", page.id(), body).isEqualTo("FAILED");
            Set<String> steps = new HashSet<>();
            for (JsonNode event : body.path("timeline")) {
                if (!event.path("event").asString().equals("ESCALATED")) {
                    continue;
                }
                String step = event.path("round").asInt() + "/" + event.path("step").asInt();
                if (!steps.add(step)) {
                    problems.add(page.id() + " step " + step + " fired twice");
                }
                long late = event.path("lateMs").asLong();
                latest = Math.max(latest, late);
                Instant due = Instant.parse(event.path("at").asString()).minusMillis(late);
                if (late > LATEST_MS) {
                    problems.add(page.id() + " step " + step + " due " + due + " fired " + late + " ms late");
                }
            }
            if (steps.isEmpty()) {
                problems.add(page.id() + " never escalated");
            }
        }
        System.out.printf("FailoverIT: %d pages escalated to the end, the latest step %d ms past due%n",
                pages.size(), latest);
        assertThat(problems).as("escalation").isEmpty();
    }

    private static void rollUpCompletes(Cluster cluster, HttpClient http, String admin, String broadcast)
            throws Exception {
        Cluster.waitFor("the broadcast roll-up", Cluster.WAIT, () -> {
            JsonNode counts = rollUp(cluster, http, admin, broadcast).path("counts");
            // everyone with a phone: the clinicians (the administrator sending it has none)
            return counts.path("delivered").asInt() >= CLINICIANS;
        }, () -> rollUp(cluster, http, admin, broadcast).toString());
    }

    private static JsonNode rollUp(Cluster cluster, HttpClient http, String admin, String broadcast) {
        try {
            return Cluster.JSON.readTree(cluster.send(http, "GET", "/api/v1/broadcasts/" + broadcast, admin, null,
                    Map.of()).body());
        } catch (Exception e) {
            return Cluster.JSON.createObjectNode().put("error", e.toString());
        }
    }

    /** Each page's clinician has it DELIVERED (a phone of theirs fetched it), as the page itself reports. */
    private static void everyPhoneHas(Cluster cluster, HttpClient http, String admin, Set<Sent> pages)
            throws InterruptedException {
        List<String> waiting = new ArrayList<>();
        Cluster.waitFor("every paged clinician's phone to have the page", Cluster.WAIT, () -> {
            waiting.clear();
            for (Sent page : pages) {
                try {
                    JsonNode body = Cluster.JSON.readTree(cluster.send(http, "GET", "/api/v1/pages/" + page.id(),
                            admin, null, Map.of()).body());
                    boolean delivered = false;
                    for (JsonNode r : body.path("recipients")) {
                        delivered |= r.path("userId").asString().equals(page.userId())
                                && Set.of("DELIVERED", "READ", "ACKNOWLEDGED").contains(r.path("state").asString());
                    }
                    if (!delivered) {
                        waiting.add(page.id() + " " + body.path("recipients"));
                    }
                } catch (Exception e) {
                    waiting.add(page.id() + " " + e);
                }
            }
            return waiting.isEmpty();
        }, () -> waiting.toString());
    }

    private static Sent page(Cluster cluster, HttpClient http, String admin, String userId) throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"to\":{\"userId\":\"" + userId + "\"},\"text\":\"Bed 4 review\",\"priority\":\"STAT\"}";
        // an answer lost with a dying instance is retried with the same key, as a client would: one page either way
        for (int attempt = 0;; attempt++) {
            try {
                HttpResponse<String> response = cluster.send(http, "POST", "/api/v1/pages", admin, body,
                        Map.of("Idempotency-Key", key));
                if (response.statusCode() >= 500 && attempt < 10) {
                    continue;
                }
                return new Sent(cluster.json(response, 201).path("id").asString(), userId, Instant.now());
            } catch (java.io.IOException lost) {
                if (attempt >= 10) {
                    throw lost;
                }
            }
        }
    }

    private static String broadcast(Cluster cluster, HttpClient http, String admin) throws Exception {
        return cluster.json(cluster.send(http, "POST", "/api/v1/broadcasts", admin,
                "{\"audience\":{\"all\":true},\"text\":\"Major incident drill\",\"priority\":\"ROUTINE\","
                        + "\"choices\":[\"available\",\"not available\"],\"drill\":true}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201).path("id").asString();
    }

    /** Streams an instance holds (its health's push component, asked directly, not through the balancer). */
    static int streams(Cluster cluster, HttpClient http, Cluster.Node node, String admin) throws Exception {
        JsonNode health = Cluster.JSON.readTree(cluster.send(http, node, "GET", "/actuator/health", admin).body());
        return health.path("components").path("push").path("details").path("streams").asInt(-1);
    }
}
