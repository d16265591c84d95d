package org.wardfleet.clinician.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.app.*}: an app session ends {@code idleTimeout} after the person last touched the page (keys,
 * clicks, taps — not the page's own background requests), so a shared ward PC left open does not stay signed in, and
 * {@code absoluteTimeout} (a long shift) after sign-in whatever they do.
 */
@ConfigurationProperties("wardfleet.app")
record AppProperties(@DefaultValue("10m") Duration idleTimeout, @DefaultValue("13h") Duration absoluteTimeout) {
}
