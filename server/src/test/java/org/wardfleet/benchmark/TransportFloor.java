package org.wardfleet.benchmark;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The broadcast benchmark's floor: the same fan-out as Mosquitto's, on the transport Wardfleet is built on
 * (reactor-netty WebSockets; the simulator's phones on plain Netty, as the MQTT clients) with nothing else — no storage, no access
 * decision, no durable receipt. Each connected phone gets the broadcast as a {@code deliver} event (in {@code jwe}
 * mode its own A256KW/A256GCM copy under a key sent in the phone's {@code hello}, with a receipt inside, as Wardfleet
 * pushes it) and answers with a {@code delivered} frame; the server counts distinct receipts in memory and answers each
 * with {@code recorded}. What it measures is how much of the gap to Mosquitto the stack and the per-phone encryption
 * already take, before any of Wardfleet's own work. Not a product path.
 */
final class TransportFloor implements AutoCloseable {

    private record Phone(Sinks.Many<String> out, byte[] key) {
    }

    private final boolean jwe;
    private final Map<Integer, Phone> phones = new ConcurrentHashMap<>();
    private final Set<Integer> counted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong lastCounted = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private volatile CountDownLatch all = new CountDownLatch(1);
    private final DisposableServer server;

    TransportFloor(boolean jwe) {
        this(jwe, null, null);
    }

    /** With {@code certificate} and {@code privateKey} (PEM files), phones connect over TLS ({@code wss://}). */
    TransportFloor(boolean jwe, java.io.File certificate, java.io.File privateKey) {
        this.jwe = jwe;
        HttpServer plain = HttpServer.create().host("127.0.0.1").port(0);
        this.server = (certificate == null ? plain : plain.secure(spec -> spec.sslContext(
                        reactor.netty.http.Http11SslContextSpec.forServer(certificate, privateKey))))
                .route(routes -> routes.ws("/floor", (in, out) -> {
                    int index = next.getAndIncrement();
                    byte[] key = new byte[32];
                    random.nextBytes(key);
                    Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
                    phones.put(index, new Phone(sink, key));
                    // a sample copy (and its key): the phone reads it while connecting, as a Wardfleet phone
                    // decrypts its message key then (so neither side's first copy pays for a cold JIT)
                    emit(sink, "{\"type\":\"hello\",\"phone\":" + index
                            + (jwe ? ",\"key\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(key)
                                    + "\"" : "")
                            + ",\"sample\":" + deliver(index, new Phone(sink, key), "sample", Instant.now().toString())
                            + "}");
                    Mono<Void> receive = in.receiveFrames().map(frame -> frame.content().toString(
                            java.nio.charset.StandardCharsets.UTF_8)).doOnNext(this::receipt).then()
                            .doFinally(s -> {
                                phones.remove(index);
                                sink.tryEmitComplete();
                            });
                    return Mono.when(out.sendString(sink.asFlux()).then(), receive);
                }))
                .bindNow(Duration.ofSeconds(10));
    }

    int port() {
        return server.port();
    }

    private void receipt(String frame) {
        // {"type":"delivered","receipt":"<phone>"}
        int at = frame.indexOf("\"receipt\":\"");
        if (at < 0) {
            return;
        }
        int start = at + 11;
        int phone = Integer.parseInt(frame.substring(start, frame.indexOf('"', start)));
        Phone p = phones.get(phone);
        if (counted.add(phone)) {
            lastCounted.accumulateAndGet(System.currentTimeMillis(), Math::max);
            all.countDown();
        }
        if (p != null) {
            emit(p.out(), "{\"type\":\"recorded\"}");
        }
    }

    /**
     * Sends the broadcast to every connected phone (in chunks of 250 on parallel workers, as Wardfleet pushes) and
     * waits until every one has answered; returns the epoch millisecond of the last receipt counted, or -1 when the
     * receipts stopped coming ({@code -Dsim.stallSeconds}, default 60, without a new one; {@link #counted()} says how
     * many came). Each call is a new broadcast: receipts are counted afresh.
     */
    long broadcast(String text) throws InterruptedException {
        List<Integer> targets = new ArrayList<>(phones.keySet());
        counted.clear();
        all = new CountDownLatch(targets.size());
        lastCounted.set(0);
        String sentAt = Instant.now().toString();
        AtomicLong started = new AtomicLong(System.nanoTime());
        Flux.fromIterable(targets).buffer(250).flatMap(chunk -> Mono.fromRunnable(() -> {
            for (int phone : chunk) {
                Phone p = phones.get(phone);
                if (p != null) {
                    emit(p.out(), deliver(phone, p, text, sentAt));
                }
            }
        }).subscribeOn(Schedulers.parallel())).blockLast(Duration.ofMinutes(10));
        return FleetSimulator.await(all, started) ? lastCounted.get() : -1;
    }

    /** Phones connected now. */
    int connected() {
        return phones.size();
    }

    /** Distinct receipts counted for the last broadcast. */
    int counted() {
        return counted.size();
    }

    private String deliver(int phone, Phone p, String text, String sentAt) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("id", "floor-message");
        content.put("conversationId", "floor-conversation");
        content.put("senderId", "floor-sender");
        content.put("text", text);
        content.put("priority", "STAT");
        content.put("requiresAck", true);
        content.put("sentAt", sentAt);
        content.put("drill", true);
        content.put("choices", List.of("available", "not available"));
        content.put("receipt", String.valueOf(phone));
        String copy;
        if (jwe) {
            try {
                JWEObject object = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                        .keyID("floor").build(), new Payload(content));
                object.encrypt(new AESEncrypter(new SecretKeySpec(p.key(), "AES")));
                copy = "{\"id\":\"floor-message\",\"jwe\":\"" + object.serialize() + "\"}";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        } else {
            copy = "{\"id\":\"floor-message\",\"content\":" + new Payload(content) + "}";
        }
        return "{\"type\":\"deliver\",\"messages\":[" + copy + "]}";
    }

    private static void emit(Sinks.Many<String> sink, String frame) {
        sink.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5)));
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
