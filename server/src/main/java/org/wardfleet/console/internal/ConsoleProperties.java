package org.wardfleet.console.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.console.*}: a session ends after {@code idleTimeout} without a request from the person, and
 * {@code absoluteTimeout} after sign-in whatever they do (OWASP ASVS 3.3: re-authentication for long sessions).
 */
@ConfigurationProperties("wardfleet.console")
record ConsoleProperties(@DefaultValue("15m") Duration idleTimeout, @DefaultValue("8h") Duration absoluteTimeout) {

    ConsoleProperties {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0
                || absoluteTimeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("wardfleet.console.idle-timeout must be positive and at most "
                    + "absolute-timeout, which must be at most 24h");
        }
    }
}
