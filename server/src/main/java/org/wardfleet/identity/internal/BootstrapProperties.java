package org.wardfleet.identity.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * First start only ({@code WARDFLEET_BOOTSTRAP_*}): the first organisation and its administrator. With no password
 * configured a strong one is generated and printed once to the console.
 *
 * @param resetAdminPassword the email of an ADMIN whose password is replaced at this start (a lost password, when no
 *        other administrator can reset it): a new one is generated and printed once, or {@code adminPassword} is
 *        used; remove the setting afterwards
 */
@ConfigurationProperties("wardfleet.bootstrap")
record BootstrapProperties(
        @DefaultValue("admin@wardfleet.local") String adminEmail,
        String adminPassword,
        @DefaultValue("My Hospital") String organisationName,
        String resetAdminPassword) {
}
