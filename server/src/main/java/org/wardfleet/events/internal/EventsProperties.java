package org.wardfleet.events.internal;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.events.*}: an optional webhook ({@code webhookUrl}, {@code webhookSecret} of at least 32
 * characters, used for HMAC-SHA256 signatures) and delivery attempts. (The non-compliance burst rule,
 * {@code burst-threshold} and {@code burst-window}, is read by compliance.)
 */
@ConfigurationProperties("wardfleet.events")
record EventsProperties(URI webhookUrl, String webhookSecret, @DefaultValue("8") int webhookAttempts,
        @DefaultValue("2s") Duration deliveryTick) {

    EventsProperties {
        if (webhookUrl != null && (webhookSecret == null || webhookSecret.length() < 32)) {
            throw new IllegalArgumentException(
                    "wardfleet.events.webhook-secret (at least 32 characters) is required with a webhook-url");
        }
        if (webhookAttempts < 1 || webhookAttempts > 50) {
            throw new IllegalArgumentException("wardfleet.events.webhook-attempts must be between 1 and 50");
        }
    }

    @Override
    public String toString() {
        return "EventsProperties[webhookUrl=" + webhookUrl + ", webhookSecret=***]";
    }
}
