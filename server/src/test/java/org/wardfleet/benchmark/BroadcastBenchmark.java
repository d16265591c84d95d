package org.wardfleet.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.TestDevice;
import org.wardfleet.support.WardfleetTest;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * Mass notification at hospital scale: a 10,000-recipient broadcast (one enrolled phone per person, every phone
 * holding its stream in a separate simulator JVM) — time until every phone has fetched and decrypted it, and until the
 * sender's roll-up shows all delivered; against the same fan-out through Mosquitto (one QoS 1 publish to 10,000
 * subscribers, each answering with a receipt the publisher side counts) when {@code bench.mqttPort} names a running
 * Mosquitto; then inbound WCTP submissions per second against the same pages through the JSON API. Run:
 * {@code server/bench/broadcast-benchmark.sh} (docs/benchmarks.md). Not part of the suite (tag "benchmark").
 */
@Tag("benchmark")
@WardfleetTest
class BroadcastBenchmark {

    static final int RECIPIENTS = Integer.getInteger("bench.recipients", 10_000);
    static final int WCTP_REQUESTS = Integer.getInteger("bench.wctpRequests", 2_000);
    static final Integer MQTT_PORT = Integer.getInteger("bench.mqttPort");
    /** Phones hold a message key (A256KW per message); {@code -Dbench.messageKeys=false}: ECDH-ES per message. */
    static final boolean MESSAGE_KEYS = !"false".equals(System.getProperty("bench.messageKeys"));
    /** Woken phones ask on their stream; {@code -Dbench.fetch=http}: GET /device/v1/messages with a device token. */
    static final boolean OVER_STREAM = !"http".equals(System.getProperty("bench.fetch"));
    /**
     * Phones with message keys subscribe their streams to messages: the server pushes each copy and the phone sends
     * its receipt back (no fetch); {@code -Dbench.push=false}: woken phones fetch.
     */
    static final boolean PUSH = MESSAGE_KEYS && !"false".equals(System.getProperty("bench.push"));

    @org.springframework.test.context.DynamicPropertySource
    static void streams(org.springframework.test.context.DynamicPropertyRegistry registry) {
        // one instance holds every simulated phone's stream (production spreads them over instances)
        registry.add("wardfleet.push.max-stream-connections", () -> String.valueOf(RECIPIENTS + 1000));
    }

    @Autowired TestApi api;
    @Autowired MongoDatabase db;
    @LocalServerPort int port;

    @Test
    void broadcastToTenThousand() throws Exception {
        StringBuilder out = new StringBuilder(String.format("broadcast benchmark: java %s, %d cores, %d recipients, "
                + "%s, %s%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), RECIPIENTS,
                MESSAGE_KEYS ? "phones hold message keys (A256KW)" : "ECDH-ES per message",
                PUSH ? "copies pushed on subscribed streams, receipts sent back on the stream"
                        : OVER_STREAM ? "fetch on the stream" : "fetch over HTTP with a device token each"));
        TestApi.User admin = api.newOrganisation();
        WebClient http = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(
                        ConnectionProvider.builder("bench").maxConnections(64).pendingAcquireMaxCount(100_000)
                                .pendingAcquireTimeout(Duration.ofMinutes(5)).build())))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
        // the organisation's baseline policies are installed on first use (and fan out to its devices): do it now, as
        // a hospital's would have been long before a broadcast, not in the middle of one
        http.get().uri("/api/v1/policies").headers(h -> h.setBearerAuth(admin.token())).retrieve().toBodilessEntity()
                .block(Duration.ofMinutes(1));

        // people: one made through the API, the rest cloned from it in batches (Argon2id for 10,000 passwords would
        // only measure password hashing)
        long setup = System.nanoTime();
        TestApi.User template = api.createUser(admin.token(), "CLINICIAN");
        Document original = Mono.from(db.getCollection("users").find(new Document("_id", template.id())).first())
                .block();
        List<String> userIds = new ArrayList<>(List.of(template.id()));
        List<Document> clones = new ArrayList<>();
        for (int i = 1; i < RECIPIENTS; i++) {
            Document copy = new Document(original);
            String id = UUID.randomUUID().toString();
            copy.put("_id", id);
            copy.put("email", "staff-" + i + "-" + id.substring(0, 8) + "@bench.test");
            clones.add(copy);
            userIds.add(id);
        }
        Flux.fromIterable(clones).buffer(1000).concatMap(batch -> Mono.from(db.getCollection("users")
                .insertMany(batch))).blockLast();

        // one phone each, enrolled through the real API (invitation + CSR)
        AtomicInteger enrolled = new AtomicInteger();
        List<String> lines = Flux.fromIterable(userIds).flatMap(userId -> Mono.fromCallable(TestDevice::p256)
                .flatMap(device -> http.post().uri("/api/v1/enrollment/invitations")
                        .headers(h -> h.setBearerAuth(admin.token()))
                        .bodyValue(Map.of("ownership", "COPE", "platform", "android", "assignedUserId", userId))
                        .retrieve().bodyToMono(Map.class)
                        .flatMap(inv -> http.post().uri("/device/v1/enroll").bodyValue(Map.of("token",
                                inv.get("secret"), "csr", device.csrPem(), "platform", "android", "model", "Pixel 8",
                                "osVersion", "15", "securityPatchLevel", "2026-10-05", "appVersion", "1.0.0"))
                                .retrieve().bodyToMono(Map.class))
                        .map(r -> {
                            enrolled.incrementAndGet();
                            Base64.Encoder b64 = Base64.getEncoder();
                            return r.get("deviceId") + "\t" + userId + "\t"
                                    + b64.encodeToString(device.keys().getPrivate().getEncoded()) + "\t"
                                    + b64.encodeToString(device.keys().getPublic().getEncoded());
                        })), 8).collectList().block(Duration.ofMinutes(20));
        // each person would sign in on their phone while enrolling it (bound to them); 10,000 sign-ins would only
        // measure Argon2id, so the devices are marked bound directly
        Mono.from(db.getCollection("devices").updateMany(new Document("userBoundAt", null),
                new Document("$set", new Document("userBoundAt", new java.util.Date())))).block();
        Path devices = Path.of("target", "bench-devices.tsv");
        Files.write(devices, lines);
        out.append(String.format("  setup: %d people, %d phones enrolled in %.0f s%n", userIds.size(), enrolled.get(),
                (System.nanoTime() - setup) / 1e9));

        // every phone connects its stream (simulator JVM), then the broadcast goes out
        Process sim = simulator("ws", String.valueOf(port), devices.toAbsolutePath().toString(),
                (MESSAGE_KEYS ? "keys" : "ecdh") + (OVER_STREAM ? ",stream" : ",http") + (PUSH ? ",push" : ""));
        BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
        String ready = line(simOut, "CONNECT");
        if (ready == null || !ready.startsWith("CONNECTED")) {
            throw new IllegalStateException("simulator: " + ready);
        }
        // -Dbench.jfr=<file>: a flight recording of the server during the broadcast only (not the setup)
        jdk.jfr.Recording recording = null;
        if (System.getProperty("bench.jfr") != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration(System.getProperty("bench.jfrSettings", "profile")));
            recording.start();
        }
        settle();
        long cpu0 = FleetSimulator.cpuNanos();
        long t0 = System.currentTimeMillis();
        String id = (String) http.post().uri("/api/v1/broadcasts").headers(h -> h.setBearerAuth(admin.token()))
                .header("Idempotency-Key", "bench-" + UUID.randomUUID())
                .bodyValue(Map.of("audience", Map.of("all", true), "text", "Code blue drill, ward 7: are you available?",
                        "priority", "STAT", "choices", List.of("available", "not available"), "drill", true))
                .retrieve().bodyToMono(Map.class).block(Duration.ofMinutes(10)).get("id");
        long accepted = System.currentTimeMillis();
        long rolledUp = 0;
        int delivered = 0;
        long progressed = t0;
        while (System.currentTimeMillis() - t0 < 600_000 && System.currentTimeMillis() - progressed < 60_000) {
            Map<?, ?> rollup = http.get().uri("/api/v1/broadcasts/" + id).headers(h -> h.setBearerAuth(admin.token()))
                    .retrieve().bodyToMono(Map.class).block();
            int now = ((Number) ((Map<?, ?>) rollup.get("counts")).get("delivered")).intValue();
            if (now > delivered) {
                progressed = System.currentTimeMillis();
            }
            delivered = now;
            if (delivered >= RECIPIENTS) {
                rolledUp = System.currentTimeMillis();
                break;
            }
            Thread.sleep(Long.getLong("bench.rollupEveryMs", 200));
        }
        long serverCpu = (FleetSimulator.cpuNanos() - cpu0) / 1_000_000;
        if (recording != null) {
            recording.dump(Path.of(System.getProperty("bench.jfr")));
            recording.close();
        }
        String fallback = line(simOut, "FALLBACK"); // FALLBACK n: pushed copies a phone could not open, fetched
        String simCpu = line(simOut, "CPU"); // CPU ms
        String woken = line(simOut, "WOKEN"); // WOKEN first p50 last; fetch ms p50 p99 max
        String done = line(simOut, "DONE"); // DONE all n first p50 p99 last
        sim.waitFor();
        String[] d = done == null ? new String[0] : done.split(" ");
        out.append(String.format("  wardfleet: broadcast accepted in %d ms; devices with it: %s %s; first %d ms, "
                        + "p50 %d ms, p99 %d ms, last %d ms; roll-up showed %d delivered at %d ms%n",
                accepted - t0, d.length > 2 ? d[1] : "?", d.length > 2 ? d[2] : "?",
                d.length > 6 ? Long.parseLong(d[3]) - t0 : -1, d.length > 6 ? Long.parseLong(d[4]) - t0 : -1,
                d.length > 6 ? Long.parseLong(d[5]) - t0 : -1, d.length > 6 ? Long.parseLong(d[6]) - t0 : -1,
                delivered, rolledUp == 0 ? -1 : rolledUp - t0));
        if (fallback != null) {
            out.append(String.format("  pushed copies a phone could not open and fetched instead: %s%n",
                    fallback.split(" ")[1]));
        }
        long wardfleetAll = rolledUp == 0 ? -1 : rolledUp - t0;
        out.append(String.format("  CPU from the broadcast until all delivered: server (with embedded MongoDB) %.1f s, "
                + "simulated phones %.1f s%n", serverCpu / 1e3, simCpu == null ? -1 : Long.parseLong(simCpu.split(" ")[1])
                / 1e3));
        if (woken != null) {
            String[] w = woken.split("[ ;]+");
            out.append(String.format("  %s reached devices: first %d ms, p50 %d ms, last %d ms; %s round trip %s%n",
                    PUSH ? "pushed copies" : "wake-up events", Long.parseLong(w[1]) - t0, Long.parseLong(w[2]) - t0,
                    Long.parseLong(w[3]) - t0, PUSH ? "receipt (delivered → recorded)" : "device fetch",
                    woken.substring(woken.indexOf("fetch"))));
        }

        long mqttAll = -1;
        if (MQTT_PORT != null) {
            Process mqtt = simulator("mqtt", String.valueOf(MQTT_PORT), String.valueOf(RECIPIENTS));
            BufferedReader mqttOut = new BufferedReader(new InputStreamReader(mqtt.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            String result = null;
            String clientCpu = null;
            String brokerCpu = null;
            while ((line = mqttOut.readLine()) != null) {
                if (line.startsWith("MQTT") || line.startsWith("CONNECT-FAILED")) {
                    result = line;
                } else if (line.startsWith("CPU")) {
                    clientCpu = line.split(" ")[1];
                    brokerCpu = line.split(" ")[2];
                }
            }
            mqtt.waitFor();
            String[] m = result == null ? new String[0] : result.split(" ");
            if (m.length > 6) {
                long m0 = Long.parseLong(m[2]);
                mqttAll = Long.parseLong(m[6]) - m0;
                out.append(String.format("  mosquitto baseline: devices with it: %s %s; p50 %d ms, last %d ms; all "
                                + "receipts counted at %d ms; CPU Mosquitto %.1f s, MQTT clients %.1f s%n", m[1], m[3],
                        Long.parseLong(m[4]) - m0, Long.parseLong(m[5]) - m0, mqttAll,
                        brokerCpu == null || brokerCpu.startsWith("-") ? Double.NaN : Long.parseLong(brokerCpu) / 1e3,
                        clientCpu == null ? -1 : Long.parseLong(clientCpu) / 1e3));
                out.append(String.format("  ratio (all delivered, wardfleet / mosquitto): %.1f%n",
                        wardfleetAll / (double) Math.max(1, mqttAll)));
            } else {
                out.append("  mosquitto baseline: ").append(result).append('\n');
            }
        } else {
            out.append("  mosquitto baseline: not run (bench.mqttPort not set; use server/bench/broadcast-benchmark.sh)\n");
        }

        // -Dbench.floor=false skips the floor: the same fan-out on the bare transport, plain and then encrypted per phone
        if (!"false".equals(System.getProperty("bench.floor"))) {
            out.append(floor(false, mqttAll)).append(floor(true, mqttAll));
        }

        out.append(wctpThroughput(http, admin, template));
        System.out.print(out);
        Files.writeString(Path.of("target", "broadcast-benchmark.txt"), out.toString());
    }

    /**
     * The floor ({@link TransportFloor}): the broadcast to as many phones on a bare reactor-netty WebSocket server in
     * this JVM, counted in memory — what the transport (and, with {@code jwe}, the per-phone encryption) costs before
     * any of Wardfleet's own work.
     */
    private static String floor(boolean jwe, long mqttAll) throws Exception {
        try (TransportFloor floor = new TransportFloor(jwe)) {
            Process sim = simulator("floor", String.valueOf(floor.port()), String.valueOf(RECIPIENTS));
            BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = line(simOut, "CONNECT");
            if (ready == null || !ready.startsWith("CONNECTED")) {
                sim.destroy();
                return "  floor: simulator " + ready + "\n";
            }
            settle();
            long cpu0 = FleetSimulator.cpuNanos();
            long t0 = System.currentTimeMillis();
            long last = floor.broadcast("Code blue drill, ward 7: are you available?", 120);
            long serverCpu = (FleetSimulator.cpuNanos() - cpu0) / 1_000_000;
            String simCpu = line(simOut, "CPU");
            String done = line(simOut, "DONE");
            sim.waitFor();
            String[] d = done == null ? new String[0] : done.split(" ");
            long all = last < 0 ? -1 : last - t0;
            return String.format("  floor (bare reactor-netty WebSocket, %s, counted in memory): devices with it: "
                            + "%s %s; p50 %d ms, last %d ms; all receipts counted at %d ms; CPU server %.1f s, phones "
                            + "%.1f s; ratio to mosquitto %s%n",
                    jwe ? "A256KW copy per phone" : "plain JSON", d.length > 6 ? d[1] : "?", d.length > 6 ? d[2] : "?",
                    d.length > 6 ? Long.parseLong(d[4]) - t0 : -1, d.length > 6 ? Long.parseLong(d[6]) - t0 : -1, all,
                    serverCpu / 1e3, simCpu == null ? -1 : Long.parseLong(simCpu.split(" ")[1]) / 1e3,
                    mqttAll < 0 || all < 0 ? "n/a" : String.format("%.1f", all / (double) mqttAll));
        }
    }

    /** Inbound WCTP submissions per second vs the same pages through {@code POST /api/v1/pages}, 8 in flight. */
    private String wctpThroughput(WebClient http, TestApi.User admin, TestApi.User target) {
        String sender = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        http.post().uri("/api/v1/wctp/senders").headers(h -> h.setBearerAuth(admin.token()))
                .bodyValue(Map.of("senderId", sender, "securityCode", "bench-security-code-1",
                        "allowedRecipients", List.of("user:*"))).retrieve().toBodilessEntity().block();
        int warm = Math.min(200, WCTP_REQUESTS / 5);
        runJson(http, admin, target, warm);
        runWctp(http, sender, target, warm);
        long a = System.nanoTime();
        long jsonOk = runJson(http, admin, target, WCTP_REQUESTS);
        double json = WCTP_REQUESTS / ((System.nanoTime() - a) / 1e9);
        long b = System.nanoTime();
        long wctpOk = runWctp(http, sender, target, WCTP_REQUESTS);
        double wctp = WCTP_REQUESTS / ((System.nanoTime() - b) / 1e9);
        return String.format("  inbound pages, %d each, 8 in flight: JSON API %.0f/s (%d ok), WCTP %.0f/s (%d ok); "
                + "ratio WCTP/JSON %.2f%n", WCTP_REQUESTS, json, jsonOk, wctp, wctpOk, wctp / json);
    }

    private static long runJson(WebClient http, TestApi.User admin, TestApi.User target, int n) {
        return Flux.range(0, n).flatMap(i -> http.post().uri("/api/v1/pages")
                .headers(h -> h.setBearerAuth(admin.token())).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(Map.of("to", Map.of("userId", target.id()), "text", "Lab result " + i, "priority",
                        "URGENT")).retrieve().toBodilessEntity()
                .map(r -> r.getStatusCode().is2xxSuccessful() ? 1 : 0).onErrorReturn(0), 8)
                .reduce(0L, Long::sum).block(Duration.ofMinutes(10));
    }

    private static long runWctp(WebClient http, String sender, TestApi.User target, int n) {
        return Flux.range(0, n).flatMap(i -> http.post().uri("/wctp").contentType(MediaType.TEXT_XML)
                .bodyValue("""
                        <?xml version="1.0"?>
                        <wctp-Operation wctpVersion="wctp-dtd-v1r3"><wctp-SubmitRequest><wctp-SubmitHeader>
                        <wctp-Originator senderID="%s" securityCode="bench-security-code-1"/>
                        <wctp-MessageControl messageID="%s" deliveryPriority="NORMAL"/>
                        <wctp-Recipient recipientID="user:%s"/></wctp-SubmitHeader>
                        <wctp-Payload><wctp-Alphanumeric>Lab result %d</wctp-Alphanumeric></wctp-Payload>
                        </wctp-SubmitRequest></wctp-Operation>""".formatted(sender, UUID.randomUUID(), target.email(), i))
                .retrieve().bodyToMono(String.class)
                .map(body -> body.contains("successCode=\"200\"") ? 1 : 0).onErrorReturn(0), 8)
                .reduce(0L, Long::sum).block(Duration.ofMinutes(10));
    }

    /** The simulator's next line starting with {@code prefix} (other output, e.g. the JVM's, is skipped). */
    /**
     * Waits (at most two minutes) until the server is idle — under a fifth of a core for a whole second — so the
     * broadcast does not compete with work left from the setup (the policy fan-out after 10,000 enrollments, the
     * streams' first heartbeats), as Mosquitto does not.
     */
    private static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            long cpu = FleetSimulator.cpuNanos();
            Thread.sleep(1000);
            if (FleetSimulator.cpuNanos() - cpu < 200_000_000L) {
                return;
            }
        }
    }

    private static String line(BufferedReader in, String prefix) throws java.io.IOException {
        String line;
        while ((line = in.readLine()) != null && !line.startsWith(prefix)) {
            System.out.println("simulator: " + line);
        }
        return line;
    }

    private static Process simulator(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx3g", System.getProperty("bench.simJvmArg", "-Dsim=1"), "-cp", System.getProperty("java.class.path"), FleetSimulator.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
