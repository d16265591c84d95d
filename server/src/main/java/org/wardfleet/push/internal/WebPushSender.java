package org.wardfleet.push.internal;

import java.net.ConnectException;
import java.net.URI;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.web.OutboundAddresses;
import org.wardfleet.push.WebPush;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 8030 delivery to each subscription's push service: a POST of the aes128gcm body with {@code TTL}, {@code
 * Urgency} (high for STAT) and the VAPID authorization; 201 means the push service queued it. 404/410 mean the browser
 * dropped the subscription: it is deleted. Endpoints are chosen by browsers (so by whoever holds an account): every
 * connection goes to a public address only — loopback, link-local, private and metadata addresses are refused at
 * connect time, whatever DNS says — on a fresh connection, without following redirects.
 */
@Component
class WebPushSender implements WebPush {

    private static final Logger log = LoggerFactory.getLogger(WebPushSender.class);
    private static final int CONCURRENCY = 16;

    private final WebPushSubscriptions subscriptions;
    private final VapidKeys vapid;
    private final WebPushProperties properties;
    private final HttpClient client;
    private final JsonMapper json = JsonMapper.builder().build();

    WebPushSender(WebPushSubscriptions subscriptions, VapidKeys vapid, WebPushProperties properties,
            Environment environment) {
        if (properties.allowLoopbackEndpoints()
                && java.util.Arrays.asList(environment.getActiveProfiles()).contains("prod")) {
            throw new IllegalStateException("wardfleet.push.web.allow-loopback-endpoints is for development only:"
                    + " refused under the prod profile");
        }
        this.subscriptions = subscriptions;
        this.vapid = vapid;
        this.properties = properties;
        boolean loopback = properties.allowLoopbackEndpoints();
        this.client = HttpClient.newConnection().followRedirect(false).responseTimeout(properties.timeout())
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst("wardfleet.webPushGuard",
                        OutboundAddresses.connectGuard(a -> OutboundAddresses.publicOnlyRefusal(a, loopback),
                                why -> new ConnectException("Web Push endpoint address refused (" + why + ")"))));
    }

    @Override
    public Mono<Integer> notify(String orgId, Collection<String> userIds, String priority, String messageId) {
        if (userIds.isEmpty()) {
            return Mono.just(0);
        }
        // the pager text policy: what a lock screen may show — the priority and where to look, nothing else
        byte[] payload = json.writeValueAsBytes(Map.of("priority", priority, "text", "Open Wardfleet",
                "id", messageId));
        return subscriptions.forUsers(orgId, userIds)
                .flatMap(s -> send(s, payload, priority), CONCURRENCY)
                .reduce(0, Integer::sum)
                .onErrorResume(e -> {
                    log.warn("Web Push for message {} failed: {}", messageId, e.toString());
                    return Mono.just(0);
                });
    }

    private Mono<Integer> send(WebPushSubscriptions.Subscription s, byte[] payload, String priority) {
        URI endpoint = URI.create(s.endpoint());
        return Mono.fromCallable(() -> new Prepared(WebPushCrypto.encrypt(payload,
                        Base64.getUrlDecoder().decode(s.p256dh()), Base64.getUrlDecoder().decode(s.auth())),
                        vapid.authorization(endpoint)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(prepared -> client.headers(h -> h.set("TTL", Long.toString(properties.ttl().toSeconds()))
                                .set("Urgency", "STAT".equals(priority) ? "high" : "normal")
                                .set("Content-Encoding", "aes128gcm")
                                .set("Content-Type", "application/octet-stream")
                                .set("Authorization", prepared.authorization()))
                        .post().uri(endpoint).send(Mono.just(Unpooled.wrappedBuffer(prepared.body())))
                        .responseSingle((response, body) -> Mono.just(response.status().code())))
                .flatMap(status -> outcome(s, status))
                .onErrorResume(e -> {
                    log.warn("Web Push to {} failed: {}", endpoint.getHost(), e.toString());
                    return Mono.just(0);
                });
    }

    private Mono<Integer> outcome(WebPushSubscriptions.Subscription s, int status) {
        if (status == 404 || status == 410) {
            // RFC 8030 7.3: the subscription expired or the browser unsubscribed
            return subscriptions.gone(s).thenReturn(0);
        }
        if (status < 200 || status > 299) {
            log.warn("Web Push to {} refused with {}", URI.create(s.endpoint()).getHost(), status);
            return Mono.just(0);
        }
        return Mono.just(1);
    }

    private record Prepared(byte[] body, String authorization) {
    }
}
