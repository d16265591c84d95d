package org.wardfleet.push.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.push.web.*}: Web Push to the clinician app in browsers. {@code allowLoopbackEndpoints} lets tests
 * and development use a push service on this machine (also over plain http); refused under the prod profile.
 */
@ConfigurationProperties("wardfleet.push.web")
record WebPushProperties(@DefaultValue("10") int maxSubscriptionsPerUser,
        @DefaultValue("1024") int maxEndpointLength,
        @DefaultValue("1h") Duration ttl,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("false") boolean allowLoopbackEndpoints) {

    WebPushProperties {
        if (maxSubscriptionsPerUser < 1 || maxSubscriptionsPerUser > 100) {
            throw new IllegalArgumentException("wardfleet.push.web.max-subscriptions-per-user must be 1..100");
        }
        if (maxEndpointLength < 100 || maxEndpointLength > 4096) {
            throw new IllegalArgumentException("wardfleet.push.web.max-endpoint-length must be 100..4096");
        }
        if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(28)) > 0) {
            throw new IllegalArgumentException("wardfleet.push.web.ttl must be 0..28 days");
        }
    }
}
