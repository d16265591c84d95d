package org.wardfleet.push.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;
import org.wardfleet.push.WebPush;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The caller's own browsers' Web Push subscriptions: the app fetches the VAPID key, subscribes through the browser's
 * PushManager and stores the subscription here. Everyone signed in manages only their own.
 */
@RestController
@RequestMapping("/api/v1/me/web-push")
class WebPushController {

    private final WebPushSubscriptions subscriptions;
    private final VapidKeys vapid;
    private final WebPushProperties properties;

    WebPushController(WebPushSubscriptions subscriptions, VapidKeys vapid, WebPushProperties properties) {
        this.subscriptions = subscriptions;
        this.vapid = vapid;
        this.properties = properties;
    }

    record VapidKey(String publicKey) {
    }

    /** The shape of the browser's {@code PushSubscription.toJSON()} (without {@code expirationTime}). */
    record NewSubscription(@NotNull @Size(max = 4096) String endpoint, @NotNull @Valid Keys keys) {
    }

    record Keys(@NotNull @Size(max = 200) String p256dh, @NotNull @Size(max = 100) String auth) {
    }

    record SubscriptionView(String id, String endpointHost, Instant createdAt) {

        static SubscriptionView of(WebPushSubscriptions.Subscription s) {
            return new SubscriptionView(s.id(), URI.create(s.endpoint()).getHost(), s.createdAt());
        }
    }

    @Operation(summary = "The server's VAPID public key (applicationServerKey for PushManager.subscribe)")
    @GetMapping("/key")
    VapidKey key(Caller caller) {
        return new VapidKey(vapid.publicKey());
    }

    @Operation(summary = "Store this browser's Web Push subscription for the caller (replaces one with its endpoint)")
    @ApiResponse(responseCode = "201", description = "The stored subscription")
    @Problems({"400 web-push-subscription-invalid", "409 web-push-subscription-limit"})
    @PostMapping("/subscriptions")
    Mono<ResponseEntity<SubscriptionView>> subscribe(Caller caller, @Valid @RequestBody NewSubscription body) {
        validate(body);
        return subscriptions.byEndpoint(body.endpoint())
                .filter(s -> s.orgId().equals(caller.orgId()) && s.userId().equals(caller.userId()))
                .map(mine -> true)
                .switchIfEmpty(subscriptions.count(caller.orgId(), caller.userId())
                        .map(count -> count < properties.maxSubscriptionsPerUser()))
                .flatMap(allowed -> allowed ? subscriptions.save(caller.orgId(), caller.userId(), body.endpoint(),
                                body.keys().p256dh(), body.keys().auth())
                        : Mono.error(WebPush.SUBSCRIPTION_LIMIT.exception(
                                "At most %d browsers per person receive Web Push: remove one first",
                                properties.maxSubscriptionsPerUser())))
                .map(s -> ResponseEntity.created(URI.create("/api/v1/me/web-push/subscriptions/" + s.id()))
                        .body(SubscriptionView.of(s)));
    }

    @Operation(summary = "Remove one of the caller's Web Push subscriptions")
    @ApiResponse(responseCode = "204", description = "Removed")
    @DeleteMapping("/subscriptions/{id}")
    Mono<ResponseEntity<Void>> unsubscribe(Caller caller, @PathVariable String id) {
        return subscriptions.delete(caller.orgId(), caller.userId(), id)
                .flatMap(deleted -> deleted ? Mono.just(ResponseEntity.noContent().<Void>build())
                        : Mono.error(ProblemType.NOT_FOUND.exception("No Web Push subscription %s of yours", id)));
    }

    private void validate(NewSubscription body) {
        URI endpoint;
        try {
            endpoint = new URI(body.endpoint());
        } catch (URISyntaxException e) {
            throw WebPush.SUBSCRIPTION_INVALID.exception("endpoint is not a URL");
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        // plain http only to a push service on this machine, and only where loopback endpoints are allowed (tests)
        boolean loopbackHttp = scheme.equals("http") && properties.allowLoopbackEndpoints()
                && isLoopbackLiteral(endpoint.getHost());
        if (!(https || loopbackHttp) || endpoint.getHost() == null || endpoint.getRawUserInfo() != null
                || endpoint.getRawFragment() != null) {
            throw WebPush.SUBSCRIPTION_INVALID.exception("endpoint must be an https URL with a host");
        }
        if (body.endpoint().length() > properties.maxEndpointLength()) {
            throw WebPush.SUBSCRIPTION_INVALID.exception("endpoint is longer than %d characters",
                    properties.maxEndpointLength());
        }
        try {
            WebPushCrypto.publicKey(base64url(body.keys().p256dh()));
        } catch (IllegalArgumentException e) {
            throw WebPush.SUBSCRIPTION_INVALID.exception("keys.p256dh is not a P-256 public key (base64url)");
        }
        byte[] auth;
        try {
            auth = base64url(body.keys().auth());
        } catch (IllegalArgumentException e) {
            auth = new byte[0];
        }
        if (auth.length != 16) {
            throw WebPush.SUBSCRIPTION_INVALID.exception("keys.auth must be 16 bytes (base64url)");
        }
    }

    private static byte[] base64url(String value) {
        return Base64.getUrlDecoder().decode(value.endsWith("=") ? value.replace("=", "") : value);
    }

    private static boolean isLoopbackLiteral(String host) {
        if (host == null || !(host.matches("[0-9.]+") || host.startsWith("["))) {
            return false;
        }
        try {
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                    .isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
