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
 * {@code CONNECTED n} when ready, {@code WARM all|partial n ...} after an untimed warm-up broadcast, then
 * {@code DONE ...} (MQTT: {@code MQTT ...}) with epoch-millisecond times when every device has the timed one, or
 * {@code partial} when some did not (after {@code sim.stallSeconds} without progress). {@code -Dsim.dropReceipts=k}: the
 * first k phones ignore the timed broadcast, so that the benchmark's failure on incomplete work can be seen.
 */
public final class FleetSimulator {

    /**
     * Handshakes in flight while connecting ({@code -Dsim.wave}, default 64): on a machine loaded far beyond its cores
     * a smaller wave keeps handshakes under the server's 20 s read timeout.
     */
    static final int WAVE = Integer.getInteger("sim.wave", 64);
    /**
     * {@code -Dsim.tlsTrust=<PEM certificate>}: every arm's sockets use TLS ({@code wss://}, {@code https://}, MQTT over
     * TLS), trusting that certificate (issue 24: phones over TLS); absent, plain TCP. The handshakes happen while
     * connecting, before {@code CONNECTED}: outside every clock.
     */
    static final io.netty.handler.ssl.SslContext TLS = clientTls(System.getProperty("sim.tlsTrust"));

    private static io.netty.handler.ssl.SslContext clientTls(String trust) {
        if (trust == null || trust.isBlank()) {
            return null;
        }
        try {
            return io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(new java.io.File(trust)).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("Cannot trust " + trust, e);
        }
    }

    /** {@code ws://} or {@code wss://} (with {@link #TLS}) on the loopback address. */
    static URI socketUri(int port, String path) {
        return URI.create((TLS == null ? "ws" : "wss") + "://127.0.0.1:" + port + path);
    }

    /** This JVM's arm: ws, floor or mqtt. */
    private static String arm = "";
    /**
     * Mode {@code each} of the ws arm (the page-latency and idle-memory benchmarks): every pushed copy a phone opens
     * is reported at once as {@code GOT <device id> <epoch ms>}, and the simulator holds its streams until its stdin
     * closes instead of waiting for broadcasts.
     */
    private static volatile boolean each;

    private FleetSimulator() {
    }

    public static void main(String[] args) throws Exception {
        arm = args[0];
        if ("ws".equals(args[0])) {
            String mode = args.length < 4 ? "keys,stream,push" : args[3];
            each = mode.contains("each");
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
     * One broadcast as the simulator sees it. Every run has two: an untimed warm-up to every phone, then the timed one
     * (each arm of the benchmark warms up the same way); each phase ends with a line on stdout.
     */
    static final class Phase {
        final boolean timed;
        final CountDownLatch all;
        /** pushed copies: a phone is done when its receipt is answered (closing earlier would lose receipts) */
        final CountDownLatch recorded;
        final Map<String, Boolean> done = new ConcurrentHashMap<>();
        final List<Long> received = Collections.synchronizedList(new ArrayList<>());
        final List<Long> woken = Collections.synchronizedList(new ArrayList<>());
        final List<Long> fetchMs = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger errors = new AtomicInteger();
        /** pushed copies a phone could not open (a key it never got): it fetches instead, as a real phone does */
        final AtomicInteger fallbacks = new AtomicInteger();
        /** the phones' CPU from the first copy or wake-up (as the MQTT clients' from the publish), not while idle */
        final AtomicLong cpu = new AtomicLong(-1);

        Phase(boolean timed, int n, int receipts) {
            this.timed = timed;
            this.all = new CountDownLatch(n);
            this.recorded = new CountDownLatch(receipts);
        }

        /** A phone has the message (first time only). */
        void has(String phone) {
            if (done.putIfAbsent(phone, true) == null) {
                received.add(System.currentTimeMillis());
                all.countDown();
            }
        }

        /**
         * {@code -Dsim.dropReceipts=k}: in the timed phase the first k phones ignore the broadcast (an injected fault);
         * {@code -Dsim.dropIn=ws|floor|mqtt}: only in that arm (default: every arm).
         */
        boolean drops(int phone) {
            return timed && phone < Integer.getInteger("sim.dropReceipts", 0)
                    && System.getProperty("sim.dropIn", arm).equals(arm);
        }

        void started() {
            cpu.compareAndSet(-1, cpuNanos());
        }

        /** Waits until every phone has it (and its receipt is answered); false if it stalled. */
        boolean await() throws InterruptedException {
            return FleetSimulator.await(all, cpu) & FleetSimulator.await(recorded, cpu);
        }

        long cpuMillis() {
            return cpu.get() < 0 ? 0 : (cpuNanos() - cpu.get()) / 1_000_000;
        }
    }

    /**
     * Waits for {@code latch}: true when it reached zero; false after {@code sim.stallSeconds} (default 60) without
     * progress once the phase has started ({@code started} set), or after 10 minutes.
     */
    static boolean await(CountDownLatch latch, AtomicLong started) throws InterruptedException {
        return await(latch, started, Long.getLong("sim.stallSeconds", 60));
    }

    /** As {@link #await(CountDownLatch, AtomicLong)}, with the stall time given. */
    static boolean await(CountDownLatch latch, AtomicLong started, long stallSeconds) throws InterruptedException {
        long stall = stallSeconds * 1000;
        long deadline = System.currentTimeMillis() + 600_000;
        long left = latch.getCount();
        long progressed = System.currentTimeMillis();
        while (!latch.await(250, TimeUnit.MILLISECONDS)) {
            long now = System.currentTimeMillis();
            if (latch.getCount() != left || started.get() < 0) {
                left = latch.getCount();
                progressed = now;
            }
            if (now - progressed > stall || now > deadline) {
                return false;
            }
        }
        return true;
    }

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
        reactor.netty.http.client.HttpClient httpClient = reactor.netty.http.client.HttpClient.create(pool);
        WebClient http = WebClient.builder().baseUrl((TLS == null ? "http" : "https") + "://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(TLS == null ? httpClient
                        : httpClient.secure(spec -> spec.sslContext(TLS))))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(1024 * 1024)).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        CountDownLatch connected = new CountDownLatch(phones.size());
        int receipts = push && messageKeys ? phones.size() : 0;
        java.util.concurrent.atomic.AtomicReference<Phase> phase = new java.util.concurrent.atomic.AtomicReference<>(
                new Phase(false, phones.size(), receipts));
        List<LeanSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        Disposable.Composite streams = Disposables.composite();
        Sinks.Many<Mono<Void>> work = Sinks.many().unicast().onBackpressureBuffer();
        streams.add(work.asFlux().flatMap(task -> task, 128).subscribe());
        // connect in waves (sim.wave handshakes at a time) so the server's accept queue is not flooded
        java.util.concurrent.Semaphore waves = new java.util.concurrent.Semaphore(WAVE);
        for (int i = 0; i < phones.size(); i++) {
            Phone p = phones.get(i);
            int index = i;
            Runnable free = slot(waves, group);
            AtomicLong started = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable isReady = () -> {
                if (ready.compareAndSet(false, true)) {
                    connected.countDown();
                    free.run();
                }
            };
            LeanSocket.connect(group, socketUri(port, "/device/v1/stream"),
                    Map.of("Authorization", "Device " + p.device().jwt("GET", "/device/v1/stream")),
                    (socket, event) -> {
                        Phase now = phase.get();
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
                            if (now.drops(index)) {
                                return;
                            }
                            now.started();
                            now.woken.add(System.currentTimeMillis());
                            started.set(System.nanoTime());
                            String answer;
                            try {
                                answer = receipts(JSON.readValue(event, Map.class), p.key().get() == null ? null
                                        : p.key().get().toSecretKey("AES"));
                            } catch (RuntimeException cannotOpen) {
                                // a copy under a key this phone does not hold: fetch it, naming the key it holds
                                now.fallbacks.incrementAndGet();
                                p.fellBack().set(true);
                                socket.send("{\"type\":\"fetch\",\"after\":\"" + p.cursor().get() + "\",\"kid\":\""
                                        + p.heldKid() + "\"}");
                                return;
                            }
                            if (each) {
                                got(p.device().deviceId());
                            }
                            now.has(p.device().deviceId());
                            socket.send("{\"type\":\"delivered\",\"messages\":" + answer + "}");
                        } else if (event.startsWith("{\"type\":\"recorded\"")) {
                            now.fetchMs.add((System.nanoTime() - started.get()) / 1_000_000);
                            now.recorded.countDown();
                        } else if (event.startsWith("{\"type\":\"messages\"")) {
                            int count = decrypt(p, JSON.readValue(event, Map.class));
                            now.fetchMs.add((System.nanoTime() - started.get()) / 1_000_000);
                            if (count > 0) {
                                now.has(p.device().deviceId());
                            }
                            if (count > 0 && p.fellBack().compareAndSet(true, false)) {
                                now.recorded.countDown(); // the fetch made it DELIVERED: no receipt will follow
                            }
                        } else if (event.startsWith("{\"type\":\"error\"")) {
                            now.errors.incrementAndGet();
                            System.err.println("stream request refused: " + event);
                        } else if (event.contains("\"message\"") && !now.done.containsKey(p.device().deviceId())
                                && !now.drops(index)) {
                            now.started();
                            now.woken.add(System.currentTimeMillis());
                            started.set(System.nanoTime());
                            if (overStream) {
                                socket.send("{\"type\":\"fetch\",\"after\":\"" + p.cursor().get() + "\",\"kid\":\""
                                        + p.heldKid() + "\"}");
                                return;
                            }
                            // fetches wait for a free connection here, so each device token is made just before
                            // its request goes out (a token made earlier could expire while queued)
                            work.emitNext(Mono.defer(() -> fetchAndDecrypt(http, p)).doOnNext(count -> {
                                now.fetchMs.add((System.nanoTime() - started.get()) / 1_000_000);
                                if (count > 0) {
                                    now.has(p.device().deviceId());
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
        if (each) {
            // hold every stream open until the benchmark closes stdin (it reads the GOT lines meanwhile)
            while (System.in.read() >= 0) {
                // a line from the benchmark: nothing to do
            }
            sockets.forEach(LeanSocket::close);
            group.shutdownGracefully();
            return;
        }
        Phase warm = phase.get();
        boolean warmedUp = warm.await();
        Phase timed = new Phase(true, phones.size(), receipts);
        phase.set(timed); // before the WARM line: the benchmark sends the timed broadcast only after reading it
        warm(warmedUp, warm.received.size(), warm.recorded.getCount());
        boolean everyone = timed.await();
        if (timed.recorded.getCount() > 0) {
            System.err.println("receipts not answered: " + timed.recorded.getCount());
        }
        System.out.printf("FALLBACK %d%n", timed.fallbacks.get());
        System.out.printf("CPU %d%n", timed.cpuMillis());
        List<Long> w = new ArrayList<>(timed.woken);
        Collections.sort(w);
        List<Long> f = new ArrayList<>(timed.fetchMs);
        Collections.sort(f);
        if (!w.isEmpty() && !f.isEmpty()) {
            System.out.printf("WOKEN %d %d %d; fetch ms p50 %d p99 %d max %d (%d answered, %d error events)%n",
                    w.get(0), w.get(w.size() / 2), w.get(w.size() - 1), f.get(f.size() / 2),
                    f.get((int) (f.size() * 0.99)), f.get(f.size() - 1), f.size(), timed.errors.get());
        } else {
            System.out.println("WOKEN -");
        }
        report(timed.received, everyone);
        streams.dispose();
        sockets.forEach(LeanSocket::close);
        group.shutdownGracefully();
    }

    /** Mode {@code each}: this phone has opened a pushed copy now. */
    private static void got(String deviceId) {
        long now = System.currentTimeMillis();
        synchronized (System.out) {
            System.out.println("GOT " + deviceId + " " + now);
            System.out.flush();
        }
    }

    /** The warm-up's line: {@code WARM all|partial <phones with it> <receipts not answered>}. */
    private static void warm(boolean everyone, int phones, long unanswered) {
        System.out.printf("WARM %s %d %d%n", everyone ? "all" : "partial", phones, unanswered);
        System.out.flush();
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

    /** Decrypts an inbox (HTTP answer or stream event), moves the phone's cursor; returns how many messages opened. */
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
                // not counted: a phone that cannot open its copy never completes, and the run fails saying so
                System.err.println("a fetched copy did not open: " + e);
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
        long[] q = quantiles(received);
        System.out.printf("DONE %s %d %d %d %d %d%n", everyone ? "all" : "partial", received.size(), q[0], q[1], q[2],
                q[3]);
        System.out.flush();
    }

    /** First, p50, p99 and last of {@code values} (nearest rank; zeros when empty), as the DONE line reports them. */
    static long[] quantiles(List<Long> values) {
        List<Long> times = new ArrayList<>(values);
        Collections.sort(times);
        if (times.isEmpty()) {
            return new long[4];
        }
        return new long[] {times.get(0), times.get(Math.max(0, times.size() / 2 - 1)),
                times.get(Math.max(0, (int) Math.ceil(times.size() * 0.99) - 1)), times.get(times.size() - 1)};
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
        java.util.concurrent.atomic.AtomicReference<Phase> phase = new java.util.concurrent.atomic.AtomicReference<>(
                new Phase(false, n, n));
        List<LeanSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Semaphore waves = new java.util.concurrent.Semaphore(WAVE);
        for (int i = 0; i < n; i++) {
            int index = i;
            Runnable free = slot(waves, group);
            java.util.concurrent.atomic.AtomicReference<javax.crypto.SecretKey> key =
                    new java.util.concurrent.atomic.AtomicReference<>();
            LeanSocket.connect(group, socketUri(port, "/floor"), Map.of(), (socket, event) -> {
                Phase now = phase.get();
                if (event.startsWith("{\"type\":\"hello\"")) {
                    Map<?, ?> hello = JSON.readValue(event, Map.class);
                    if (hello.get("key") != null) {
                        key.set(new javax.crypto.spec.SecretKeySpec(Base64.getUrlDecoder()
                                .decode((String) hello.get("key")), "AES"));
                    }
                    receipts((Map<?, ?>) hello.get("sample"), key.get()); // warms up the deliver path
                    connected.countDown();
                    free.run();
                } else if (event.startsWith("{\"type\":\"deliver\"") && !now.drops(index)) {
                    now.started();
                    String receipts = receipts(JSON.readValue(event, Map.class), key.get());
                    now.has(String.valueOf(index));
                    socket.send("{\"type\":\"delivered\",\"messages\":" + receipts + "}");
                } else if (event.startsWith("{\"type\":\"recorded\"")) {
                    now.recorded.countDown();
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
        Phase warm = phase.get();
        boolean warmedUp = warm.await();
        Phase timed = new Phase(true, n, n);
        phase.set(timed); // before the WARM line, as in ws()
        warm(warmedUp, warm.received.size(), warm.recorded.getCount());
        boolean everyone = timed.await();
        if (timed.recorded.getCount() > 0) {
            System.err.println("receipts not answered: " + timed.recorded.getCount());
        }
        System.out.printf("CPU %d%n", timed.cpuMillis());
        report(timed.received, everyone);
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

    /**
     * Each of the two publishes (warm-up, then timed) waits for a {@code GO} line on stdin, so the benchmark can wait
     * for an idle machine first, as it does before the other arms' broadcasts.
     */
    static void mqtt(int port, int n) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        try {
            AtomicInteger ids = new AtomicInteger(1);
            CountDownLatch subscribed = new CountDownLatch(n + 1);
            // receipts counted by the collector: Phase.has / all; copies the devices got: Phase.woken
            java.util.concurrent.atomic.AtomicReference<Phase> phase =
                    new java.util.concurrent.atomic.AtomicReference<>(new Phase(false, n, 0));
            // the "roll-up": one client counting receipts
            Channel collector = connect(group, port, "collector", subscribed,
                    (ctx, publish) -> phase.get().has(publish.payload().toString(StandardCharsets.UTF_8)), ACKS);
            List<Channel> devices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "device-" + i;
                int index = i;
                devices.add(connect(group, port, id, subscribed, (ctx, publish) -> {
                    Phase now = phase.get();
                    if (now.drops(index)) {
                        return;
                    }
                    now.woken.add(System.currentTimeMillis());
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
            Channel publisher = connect(group, port, "publisher", new CountDownLatch(1), (c, p) -> { }, null);
            Thread.sleep(500);
            System.out.println("CONNECTED " + n);
            System.out.flush();
            byte[] body = ("{\"type\":\"broadcast\",\"priority\":\"STAT\",\"drill\":true,\"text\":\"Code blue drill, "
                    + "ward 7: are you available?\",\"choices\":[\"available\",\"not available\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            Phase warm = phase.get();
            commands.readLine(); // GO
            warm.started();
            publisher.writeAndFlush(MqttMessageBuilders.publish().topicName(TOPIC).qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(1).payload(Unpooled.wrappedBuffer(body)).build());
            warm(warm.await(), warm.received.size(), 0);
            Phase timed = new Phase(true, n, 0);
            phase.set(timed);
            commands.readLine(); // GO
            long broker = brokerCpuMillis();
            timed.started();
            long t0 = System.currentTimeMillis();
            publisher.writeAndFlush(MqttMessageBuilders.publish().topicName(TOPIC).qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(2).payload(Unpooled.wrappedBuffer(body)).build());
            boolean all = timed.await();
            long brokerNow = brokerCpuMillis();
            System.out.printf("CPU %d %d%n", timed.cpuMillis(), // the clients' CPU, then Mosquitto's
                    broker < 0 || brokerNow < 0 ? -1 : brokerNow - broker);
            List<Long> times = new ArrayList<>(timed.woken);
            Collections.sort(times);
            List<Long> acks = new ArrayList<>(timed.received);
            Collections.sort(acks);
            System.out.printf("MQTT %s %d %d %d %d %d %d%n", all ? "all" : "partial", t0, times.size(),
                    times.isEmpty() ? 0 : times.get(times.size() / 2), times.isEmpty() ? 0 : times.get(times.size() - 1),
                    acks.isEmpty() ? 0 : acks.get(acks.size() - 1), acks.size());
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
        return mosquitto().map(p -> cpuMillis(p.pid())).orElse(-1L);
    }

    /** The running Mosquitto broker, if any. */
    static java.util.Optional<ProcessHandle> mosquitto() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mosquitto") || c.equals("mosquitto"))
                        .orElse(false))
                .findFirst();
    }

    /** A process's CPU time so far (user + system, from /proc), or -1 where that cannot be read. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime; 100 ticks/s
        } catch (Exception e) {
            return -1L;
        }
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
                        if (TLS != null) {
                            ch.pipeline().addLast(TLS.newHandler(ch.alloc(), "127.0.0.1", port));
                        }
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
