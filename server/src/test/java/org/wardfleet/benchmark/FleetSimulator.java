package org.wardfleet.benchmark;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.wardfleet.support.TestDevice;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.jwk.OctetSequenceKey;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.resources.ConnectionProvider;

/**
 * The device side of the broadcast benchmark, in its own JVM (10,000 sockets each side do not fit one process's file
 * limit next to the server's): {@code ws <port> <devices.tsv>} connects every device's Wardfleet stream and decrypts
 * the copy pushed to it (or, in the older modes, fetches and decrypts its inbox when woken); {@code mqtt <port> <n>} is
 * the baseline: n MQTT clients subscribed to one topic on Mosquitto, each answering a QoS 1 publish with a receipt on
 * an acks topic; {@code floor <port> <n>}: n phones on {@link TransportFloor}. Every arm's sockets are plain Netty on
 * a two-thread event loop group ({@link LeanSocket} for WebSockets). Reports lines on stdout:
 * {@code CONNECTED n} when ready, {@code DONE ...} with epoch-millisecond times when every device has the message.
 */
public final class FleetSimulator {

    private FleetSimulator() {
    }

    public static void main(String[] args) throws Exception {
        if ("ws".equals(args[0])) {
            String mode = args.length < 4 ? "keys,stream,push" : args[3];
            ws(Integer.parseInt(args[1]), Path.of(args[2]), mode.contains("keys"), mode.contains("stream"),
                    mode.contains("push"));
        } else if ("floor".equals(args[0])) {
            floor(Integer.parseInt(args[1]), Integer.parseInt(args[2])); // the floor server decides: plain or jwe
        } else {
            mqtt(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        }
        System.exit(0);
    }

    record Phone(TestDevice device, AtomicLong cursor, java.util.concurrent.atomic.AtomicReference<OctetSequenceKey> key,
            java.util.concurrent.atomic.AtomicBoolean fellBack) {

        /** The message key this phone holds, as a fetch names it ({@code none}: ECDH-ES to its enrolled key). */
        String heldKid() {
            OctetSequenceKey held = key.get();
            return held == null ? "none" : held.getKeyID();
        }
    }

    // ---- Wardfleet: device streams, fetch, decrypt

    /**
     * {@code messageKeys}: each phone asks for a message key when it connects (else ECDH-ES per message);
     * {@code overStream}: a woken phone asks for its messages on its stream (else GET /device/v1/messages);
     * {@code push} (with message keys): each phone subscribes its stream to messages, so the server pushes its copy
     * as a {@code deliver} event and the phone answers with the receipt token from inside it (no wake-up, no fetch).
     */
    static void ws(int port, Path devicesFile, boolean messageKeys, boolean overStream, boolean push)
            throws Exception {
        KeyFactory ec = KeyFactory.getInstance("EC");
        List<Phone> phones = new ArrayList<>();
        for (String line : Files.readAllLines(devicesFile)) {
            String[] f = line.split("\t");
            KeyPair keys = new KeyPair(ec.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(f[3]))),
                    ec.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(f[2]))));
            phones.add(new Phone(TestDevice.of(keys, f[0]), new AtomicLong(),
                    new java.util.concurrent.atomic.AtomicReference<>(), new java.util.concurrent.atomic.AtomicBoolean()));
        }
        ConnectionProvider pool = ConnectionProvider.builder("fetch").maxConnections(128)
                .pendingAcquireMaxCount(100_000).pendingAcquireTimeout(Duration.ofMinutes(10)).build();
        WebClient http = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(pool)))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(1024 * 1024)).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        CountDownLatch connected = new CountDownLatch(phones.size());
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        List<Long> woken = Collections.synchronizedList(new ArrayList<>());
        List<Long> fetchMs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        // pushed copies a phone could not open (a key it never got): it fetches instead, as a real phone does
        AtomicInteger fallbacks = new AtomicInteger();
        // pushed copies: a phone is done when its receipt is answered (closing earlier would lose receipts in flight)
        CountDownLatch recorded = new CountDownLatch(push && messageKeys ? phones.size() : 0);
        Map<String, Boolean> done = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(phones.size());
        // the phones' CPU from the first copy or wake-up (as the MQTT clients' from the publish), not while idle
        AtomicLong cpu = new AtomicLong(-1);
        List<LeanSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        Disposable.Composite streams = Disposables.composite();
        Sinks.Many<Mono<Void>> work = Sinks.many().unicast().onBackpressureBuffer();
        streams.add(work.asFlux().flatMap(task -> task, 128).subscribe());
        // connect in waves (64 handshakes at a time) so the server's accept queue is not flooded
        java.util.concurrent.Semaphore waves = new java.util.concurrent.Semaphore(64);
        for (Phone p : phones) {
            Runnable free = slot(waves, group);
            AtomicLong started = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable isReady = () -> {
                if (ready.compareAndSet(false, true)) {
                    connected.countDown();
                    free.run();
                }
            };
            LeanSocket.connect(group, URI.create("ws://127.0.0.1:" + port + "/device/v1/stream"),
                    Map.of("Authorization", "Device " + p.device().jwt("GET", "/device/v1/stream")),
                    (socket, event) -> {
                        if (event.contains("\"hello\"")) {
                            if (push && messageKeys) {
                                // ready once the server confirms the subscription
                                messageKey(http, p).doFinally(s -> socket.send(
                                        "{\"type\":\"subscribe\",\"topics\":[\"messages\"]}")).subscribe();
                            } else {
                                (messageKeys ? messageKey(http, p) : Mono.<Void>empty())
                                        .doFinally(s -> isReady.run()).subscribe();
                            }
                        } else if (event.startsWith("{\"type\":\"subscribed\"")) {
                            isReady.run();
                        } else if (event.startsWith("{\"type\":\"deliver\"")) {
                            cpu.compareAndSet(-1, cpuNanos());
                            woken.add(System.currentTimeMillis());
                            started.set(System.nanoTime());
                            String receipts;
                            try {
                                receipts = receipts(JSON.readValue(event, Map.class), p.key().get() == null ? null
                                        : p.key().get().toSecretKey("AES"));
                            } catch (Exception cannotOpen) {
                                // a copy under a key this phone does not hold: fetch it, naming the key it holds
                                fallbacks.incrementAndGet();
                                p.fellBack().set(true);
                                socket.send("{\"type\":\"fetch\",\"after\":\"" + p.cursor().get() + "\",\"kid\":\""
                                        + p.heldKid() + "\"}");
                                return;
                            }
                            if (done.putIfAbsent(p.device().deviceId(), true) == null) {
                                received.add(System.currentTimeMillis());
                                all.countDown();
                            }
                            socket.send("{\"type\":\"delivered\",\"messages\":" + receipts + "}");
                        } else if (event.startsWith("{\"type\":\"recorded\"")) {
                            fetchMs.add((System.nanoTime() - started.get()) / 1_000_000);
                            recorded.countDown();
                        } else if (event.startsWith("{\"type\":\"messages\"")) {
                            int count = decrypt(p, JSON.readValue(event, Map.class));
                            fetchMs.add((System.nanoTime() - started.get()) / 1_000_000);
                            if (count > 0 && done.putIfAbsent(p.device().deviceId(), true) == null) {
                                received.add(System.currentTimeMillis());
                                all.countDown();
                            }
                            if (count > 0 && p.fellBack().compareAndSet(true, false)) {
                                recorded.countDown(); // the fetch made it DELIVERED: no receipt will follow
                            }
                        } else if (event.startsWith("{\"type\":\"error\"")) {
                            errors.incrementAndGet();
                            System.err.println("stream request refused: " + event);
                        } else if (event.contains("\"message\"") && !done.containsKey(p.device().deviceId())) {
                            cpu.compareAndSet(-1, cpuNanos());
                            woken.add(System.currentTimeMillis());
                            started.set(System.nanoTime());
                            if (overStream) {
                                socket.send("{\"type\":\"fetch\",\"after\":\"" + p.cursor().get() + "\",\"kid\":\""
                                        + p.heldKid() + "\"}");
                                return;
                            }
                            // fetches wait for a free connection here, so each device token is made just before
                            // its request goes out (a token made earlier could expire while queued)
                            work.emitNext(Mono.defer(() -> fetchAndDecrypt(http, p)).doOnNext(count -> {
                                fetchMs.add((System.nanoTime() - started.get()) / 1_000_000);
                                if (count > 0 && done.putIfAbsent(p.device().deviceId(), true) == null) {
                                    received.add(System.currentTimeMillis());
                                    all.countDown();
                                }
                            }).then(), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5)));
                        }
                    }).whenComplete((socket, failure) -> {
                        if (failure != null) {
                            System.err.println("stream failed: " + failure);
                            free.run(); // never ready: the CONNECT-FAILED line below counts it
                        } else {
                            sockets.add(socket);
                        }
                    });
        }
        if (!connected.await(5, TimeUnit.MINUTES)) {
            System.out.println("CONNECT-FAILED " + (phones.size() - connected.getCount()));
            return;
        }
        System.out.println("CONNECTED " + phones.size());
        System.out.flush();
        boolean everyone = all.await(10, TimeUnit.MINUTES);
        if (!recorded.await(2, TimeUnit.MINUTES)) {
            System.err.println("receipts not answered: " + recorded.getCount());
        }
        System.out.printf("FALLBACK %d%n", fallbacks.get());
        System.out.printf("CPU %d%n", cpu.get() < 0 ? 0 : (cpuNanos() - cpu.get()) / 1_000_000);
        List<Long> w = new ArrayList<>(woken);
        Collections.sort(w);
        List<Long> f = new ArrayList<>(fetchMs);
        Collections.sort(f);
        if (!w.isEmpty() && !f.isEmpty()) {
            System.out.printf("WOKEN %d %d %d; fetch ms p50 %d p99 %d max %d (%d answered, %d error events)%n",
                    w.get(0), w.get(w.size() / 2), w.get(w.size() - 1), f.get(f.size() / 2),
                    f.get((int) (f.size() * 0.99)), f.get(f.size() - 1), f.size(), errors.get());
        }
        report(received, everyone);
        streams.dispose();
        sockets.forEach(LeanSocket::close);
        group.shutdownGracefully();
    }

    /**
     * Takes one of the connection waves' slots (blocking while all are taken); the returned action gives it back,
     * once — when the phone is ready, when it failed, or after 30 s at the latest, so a phone that never becomes
     * ready holds no slot for longer (the CONNECT-FAILED line counts it).
     */
    private static Runnable slot(java.util.concurrent.Semaphore waves, EventLoopGroup group)
            throws InterruptedException {
        waves.acquire();
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable free = () -> {
            if (held.compareAndSet(true, false)) {
                waves.release();
            }
        };
        group.schedule(free, 30, TimeUnit.SECONDS);
        return free;
    }

    /** This process's CPU time (all threads). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Asks for a message key and confirms having it, as the SDK does; the phone holds it only once the server
     * confirmed it is in use (until then the server keeps using none for this phone, so it fetches under ECDH-ES).
     */
    private static Mono<Void> messageKey(WebClient http, Phone p) {
        return http.post().uri("/device/v1/message-key")
                .header("Authorization", "Device " + p.device().jwt("POST", "/device/v1/message-key"))
                .retrieve().bodyToMono(Map.class)
                .map(issued -> {
                    try {
                        JWEObject jwe = JWEObject.parse((String) issued.get("jwe"));
                        jwe.decrypt(new ECDHDecrypter((ECPrivateKey) p.device().keys().getPrivate()));
                        return OctetSequenceKey.parse(jwe.getPayload().toJSONObject());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .flatMap(key -> http.post().uri("/device/v1/message-key/confirm")
                        .header("Authorization", "Device " + p.device().jwt("POST", "/device/v1/message-key/confirm"))
                        .bodyValue(Map.of("kid", key.getKeyID()))
                        .retrieve().toBodilessEntity()
                        .doOnNext(confirmed -> {
                            if (!forgetsItsKey(p)) {
                                p.key().set(key);
                            }
                        }))
                .onErrorResume(e -> {
                    System.err.println("message key failed: " + e);
                    return Mono.empty();
                }).then();
    }

    /**
     * {@code -Dsim.forgetKeyEvery=n}: about one phone in n drops its key after confirming it (as if the confirmation's
     * answer was lost): its pushed copy does not open, and it must fetch instead — the fallback, exercised.
     */
    private static boolean forgetsItsKey(Phone p) {
        int every = Integer.getInteger("sim.forgetKeyEvery", 0);
        return every > 0 && Math.floorMod(p.device().deviceId().hashCode(), every) == 0;
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    /** Decrypts an inbox (HTTP answer or stream event), moves the phone's cursor; returns how many messages. */
    private static int decrypt(Phone p, Map<?, ?> inbox) {
        int n = 0;
        for (Object o : (List<?>) inbox.get("messages")) {
            try {
                JWEObject jwe = JWEObject.parse((String) ((Map<?, ?>) o).get("jwe"));
                OctetSequenceKey key = p.key().get();
                if (key != null && key.getKeyID().equals(jwe.getHeader().getKeyID())) {
                    jwe.decrypt(new AESDecrypter(key.toSecretKey("AES")));
                } else {
                    jwe.decrypt(new ECDHDecrypter((ECPrivateKey) p.device().keys().getPrivate()));
                }
                n++;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        p.cursor().set(Long.parseLong((String) inbox.get("cursor")));
        return n;
    }

    private static Mono<Integer> fetchAndDecrypt(WebClient http, Phone p) {
        return http.get().uri("/device/v1/messages?after=" + p.cursor().get() + "&kid=" + p.heldKid())
                .header("Authorization", "Device " + p.device().jwt("GET", "/device/v1/messages"))
                .retrieve().bodyToMono(Map.class)
                .map(inbox -> decrypt(p, inbox))
                .onErrorResume(e -> {
                    System.err.println("fetch failed: " + e);
                    return Mono.just(0);
                });
    }

    private static void report(List<Long> received, boolean everyone) {
        List<Long> times = new ArrayList<>(received);
        Collections.sort(times);
        long p50 = times.isEmpty() ? 0 : times.get(Math.max(0, times.size() / 2 - 1));
        long p99 = times.isEmpty() ? 0 : times.get(Math.max(0, (int) Math.ceil(times.size() * 0.99) - 1));
        System.out.printf("DONE %s %d %d %d %d %d%n", everyone ? "all" : "partial", times.size(),
                times.isEmpty() ? 0 : times.get(0), p50, p99, times.isEmpty() ? 0 : times.get(times.size() - 1));
        System.out.flush();
    }

    // ---- Floor: the same fan-out on a bare reactor-netty WebSocket server (TransportFloor), same client stack

    /**
     * n phones on {@link TransportFloor}'s WebSocket: each takes the key from its {@code hello} (if the floor sends
     * one), decrypts its {@code deliver} copy with it (or reads the plain copy), and answers with the receipt inside,
     * as a Wardfleet phone does.
     */
    static void floor(int port, int n) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        CountDownLatch connected = new CountDownLatch(n);
        CountDownLatch all = new CountDownLatch(n);
        CountDownLatch recorded = new CountDownLatch(n);
        AtomicLong cpu = new AtomicLong(-1); // from the first copy, as in ws()
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        List<LeanSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Semaphore waves = new java.util.concurrent.Semaphore(64);
        for (int i = 0; i < n; i++) {
            Runnable free = slot(waves, group);
            java.util.concurrent.atomic.AtomicReference<javax.crypto.SecretKey> key =
                    new java.util.concurrent.atomic.AtomicReference<>();
            LeanSocket.connect(group, URI.create("ws://127.0.0.1:" + port + "/floor"), Map.of(), (socket, event) -> {
                if (event.startsWith("{\"type\":\"hello\"")) {
                    Map<?, ?> hello = JSON.readValue(event, Map.class);
                    if (hello.get("key") != null) {
                        key.set(new javax.crypto.spec.SecretKeySpec(Base64.getUrlDecoder()
                                .decode((String) hello.get("key")), "AES"));
                    }
                    receipts((Map<?, ?>) hello.get("sample"), key.get()); // warms up the deliver path
                    connected.countDown();
                    free.run();
                } else if (event.startsWith("{\"type\":\"deliver\"")) {
                    cpu.compareAndSet(-1, cpuNanos());
                    String receipts = receipts(JSON.readValue(event, Map.class), key.get());
                    received.add(System.currentTimeMillis());
                    all.countDown();
                    socket.send("{\"type\":\"delivered\",\"messages\":" + receipts + "}");
                } else if (event.startsWith("{\"type\":\"recorded\"")) {
                    recorded.countDown();
                }
            }).whenComplete((socket, failure) -> {
                if (failure != null) {
                    System.err.println("floor socket failed: " + failure);
                    free.run();
                } else {
                    sockets.add(socket);
                }
            });
        }
        if (!connected.await(5, TimeUnit.MINUTES)) {
            System.out.println("CONNECT-FAILED " + (n - connected.getCount()));
            return;
        }
        System.out.println("CONNECTED " + n);
        System.out.flush();
        boolean everyone = all.await(10, TimeUnit.MINUTES);
        if (!recorded.await(2, TimeUnit.MINUTES)) {
            System.err.println("receipts not answered: " + recorded.getCount());
        }
        System.out.printf("CPU %d%n", cpu.get() < 0 ? 0 : (cpuNanos() - cpu.get()) / 1_000_000);
        report(received, everyone);
        sockets.forEach(LeanSocket::close);
        group.shutdownGracefully();
    }

    /**
     * A {@code deliver} event's copies, decrypted under {@code key} (a Wardfleet phone's message key, the floor's
     * key) or, without one, read as they are (the plain floor): the receipts to send back, as JSON.
     */
    private static String receipts(Map<?, ?> event, javax.crypto.SecretKey key) {
        List<Map<String, String>> receipts = new ArrayList<>();
        for (Object o : (List<?>) event.get("messages")) {
            Map<?, ?> content;
            try {
                if (key != null) {
                    JWEObject object = JWEObject.parse((String) ((Map<?, ?>) o).get("jwe"));
                    object.decrypt(new AESDecrypter(key));
                    content = object.getPayload().toJSONObject();
                } else {
                    content = (Map<?, ?>) ((Map<?, ?>) o).get("content");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            receipts.add(Map.of("id", (String) content.get("id"), "receipt", (String) content.get("receipt")));
        }
        return JSON.writeValueAsString(receipts);
    }

    // ---- Baseline: the same fan-out through Mosquitto (MQTT 3.1.1, QoS 1, a receipt per device)

    static final String TOPIC = "wardfleet/bench/all";
    static final String ACKS = "wardfleet/bench/acks";

    static void mqtt(int port, int n) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            List<Long> received = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger ids = new AtomicInteger(1);
            CountDownLatch subscribed = new CountDownLatch(n + 1);
            CountDownLatch acked = new CountDownLatch(n);
            AtomicLong lastAck = new AtomicLong();
            Map<String, Boolean> ackedBy = new ConcurrentHashMap<>();
            // the "roll-up": one client counting receipts
            Channel collector = connect(group, port, "collector", subscribed, (ctx, publish) -> {
                String who = publish.payload().toString(StandardCharsets.UTF_8);
                if (ackedBy.putIfAbsent(who, true) == null) {
                    lastAck.set(System.currentTimeMillis());
                    acked.countDown();
                }
            }, ACKS);
            List<Channel> devices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "device-" + i;
                devices.add(connect(group, port, id, subscribed, (ctx, publish) -> {
                    received.add(System.currentTimeMillis());
                    ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(ACKS).qos(MqttQoS.AT_LEAST_ONCE)
                            .messageId(ids.updateAndGet(x -> x % 65_000 + 1))
                            .payload(Unpooled.copiedBuffer(id, StandardCharsets.UTF_8)).build());
                }, TOPIC));
                if (i % 200 == 199) {
                    Thread.sleep(20); // waves, as for the WebSocket devices
                }
            }
            if (!subscribed.await(5, TimeUnit.MINUTES)) {
                System.out.println("CONNECT-FAILED " + (n + 1 - subscribed.getCount()));
                return;
            }
            System.out.println("CONNECTED " + n);
            Channel publisher = connect(group, port, "publisher", new CountDownLatch(1), (c, p) -> { }, null);
            Thread.sleep(500);
            byte[] body = ("{\"type\":\"broadcast\",\"priority\":\"STAT\",\"drill\":true,\"text\":\"Code blue drill, "
                    + "ward 7: are you available?\",\"choices\":[\"available\",\"not available\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            long cpu = cpuNanos();
            long broker = brokerCpuMillis();
            long t0 = System.currentTimeMillis();
            publisher.writeAndFlush(MqttMessageBuilders.publish().topicName(TOPIC).qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(1).payload(Unpooled.wrappedBuffer(body)).build());
            boolean all = acked.await(5, TimeUnit.MINUTES);
            long brokerNow = brokerCpuMillis();
            System.out.printf("CPU %d %d%n", (cpuNanos() - cpu) / 1_000_000, // the clients' CPU, then Mosquitto's
                    broker < 0 || brokerNow < 0 ? -1 : brokerNow - broker);
            List<Long> times = new ArrayList<>(received);
            Collections.sort(times);
            System.out.printf("MQTT %s %d %d %d %d %d%n", all ? "all" : "partial", t0, times.size(),
                    times.isEmpty() ? 0 : times.get(times.size() / 2), times.isEmpty() ? 0 : times.get(times.size() - 1),
                    lastAck.get());
            System.out.flush();
            devices.forEach(Channel::close);
            collector.close();
            publisher.close();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** The Mosquitto process's CPU time so far (user + system, from /proc), or -1 where that cannot be read. */
    static long brokerCpuMillis() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mosquitto") || c.equals("mosquitto"))
                        .orElse(false))
                .findFirst().map(p -> {
                    try {
                        String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime; 100 ticks/s
                    } catch (Exception e) {
                        return -1L;
                    }
                }).orElse(-1L);
    }

    interface OnPublish {
        void accept(ChannelHandlerContext ctx, MqttPublishMessage publish);
    }

    private static Channel connect(EventLoopGroup group, int port, String clientId, CountDownLatch subscribed,
            OnPublish onPublish, String topic) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<MqttMessage>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId)
                                                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true)
                                                .keepAlive(600).build());
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
                                        MqttMessageType type = msg.fixedHeader().messageType();
                                        if (type == MqttMessageType.CONNACK) {
                                            MqttConnAckMessage ack = (MqttConnAckMessage) msg;
                                            if (ack.variableHeader().connectReturnCode()
                                                    != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                                                throw new IllegalStateException("refused " + clientId);
                                            }
                                            if (topic == null) {
                                                subscribed.countDown();
                                            } else {
                                                ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                                                        .addSubscription(MqttQoS.AT_LEAST_ONCE, topic).build());
                                            }
                                        } else if (type == MqttMessageType.SUBACK) {
                                            subscribed.countDown();
                                        } else if (type == MqttMessageType.PUBLISH) {
                                            MqttPublishMessage publish = (MqttPublishMessage) msg;
                                            ctx.writeAndFlush(MqttMessageBuilders.pubAck()
                                                    .packetId(publish.variableHeader().packetId()).build());
                                            onPublish.accept(ctx, publish);
                                        }
                                    }
                                });
                    }
                });
        return bootstrap.connect("127.0.0.1", port).sync().channel();
    }
}
