package org.wardfleet.events.internal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wardfleet.events.SecurityEvents;
import org.wardfleet.support.WardfleetTest;

import com.sun.net.httpserver.HttpServer;

/**
 * A SIEM that answers slowly once — slower than many delivery ticks — must not end webhook delivery: events published
 * afterwards still arrive. (The delivery loop's timer used to overflow while a pass was slow, which ended the loop
 * for good: a busy machine or a slow receiver silently stopped every later security event from reaching the SIEM.)
 */
@WardfleetTest
class WebhookDeliveryTests {

    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    static final AtomicBoolean SLOW_ONCE = new AtomicBoolean(true);
    static final HttpServer SIEM = siem();

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("wardfleet.events.webhook-url", () -> "http://127.0.0.1:" + SIEM.getAddress().getPort()
                + "/slow-siem");
        registry.add("wardfleet.events.webhook-secret", () -> "webhook-secret-of-at-least-32-characters");
        registry.add("wardfleet.events.delivery-tick", () -> "100ms");
    }

    @AfterAll
    static void stop() {
        SIEM.stop(0);
    }

    @Autowired SecurityEvents events;

    @Test
    void aSlowReceiverDoesNotEndDeliveryOfLaterEvents() {
        events.publish("org-webhook-test", "test.first", "first", Map.of()).block(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> RECEIVED.stream().anyMatch(b -> b.contains("test.first")));
        events.publish("org-webhook-test", "test.second", "second", Map.of()).block(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> RECEIVED.stream().anyMatch(b -> b.contains("test.second")));
    }

    private static HttpServer siem() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/slow-siem", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (SLOW_ONCE.getAndSet(false)) {
                    try {
                        TimeUnit.SECONDS.sleep(3); // thirty ticks
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                RECEIVED.add(body);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
