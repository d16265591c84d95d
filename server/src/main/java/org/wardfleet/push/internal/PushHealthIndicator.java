package org.wardfleet.push.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** {@code push}: whether FCM is configured, and how many device streams this instance holds. Never DOWN: without FCM
 * devices are still reached over their stream and at check-in, so readiness must not fail on it. */
@Component("push")
class PushHealthIndicator implements ReactiveHealthIndicator {

    private final FcmSender fcm;
    private final StreamConnections connections;

    PushHealthIndicator(FcmSender fcm, StreamConnections connections) {
        this.fcm = fcm;
        this.connections = connections;
    }

    @Override
    public Mono<Health> health() {
        return Mono.just(Health.up().withDetail("fcm", fcm.enabled() ? "on" : "off")
                .withDetail("streams", connections.size()).build());
    }
}
