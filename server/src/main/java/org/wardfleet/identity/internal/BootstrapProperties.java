package org.wardfleet.identity.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * First start only ({@code WARDFLEET_BOOTSTRAP_*}): the first organisation and its administrator. With no password
 * configured a strong one is generated and printed once to the console.
 */
@ConfigurationProperties("wardfleet.bootstrap")
record BootstrapProperties(
        @DefaultValue("admin@wardfleet.local") String adminEmail,
        String adminPassword,
        @DefaultValue("My Hospital") String organisationName) {
}
