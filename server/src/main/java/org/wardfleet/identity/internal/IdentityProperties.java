package org.wardfleet.identity.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.identity.*}: access-token lifetime and issuer, and the sign-in throttle. Back-off doubles from
 * {@code backoffBase} for each failure past the free allowance, up to {@code backoffMax}; counts reset after
 * {@code failureWindow} without failures. {@code freeFailuresPerAccount} counts one account from one address;
 * {@code accountCeiling} the account from all addresses together, past which addresses the account has not signed
 * in from within {@code knownAddressFor} wait too. A new token signing key replaces the newest one once it is
 * {@code signingKeyLifetime} old.
 */
@ConfigurationProperties("wardfleet.identity")
record IdentityProperties(
        @DefaultValue("15m") Duration tokenTtl,
        @DefaultValue("urn:wardfleet") String issuer,
        @DefaultValue("5") int freeFailuresPerAccount,
        @DefaultValue("20") int freeFailuresPerAddress,
        @DefaultValue("1s") Duration backoffBase,
        @DefaultValue("15m") Duration backoffMax,
        @DefaultValue("1h") Duration failureWindow,
        @DefaultValue("30d") Duration signingKeyLifetime,
        @DefaultValue("50") int accountCeiling,
        @DefaultValue("30d") Duration knownAddressFor) {

    IdentityProperties {
        if (tokenTtl.compareTo(Duration.ofMinutes(1)) < 0 || tokenTtl.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("wardfleet.identity.token-ttl must be between 1m and 12h");
        }
        if (signingKeyLifetime.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("wardfleet.identity.signing-key-lifetime must be at least 1d");
        }
        if (freeFailuresPerAccount < 1 || freeFailuresPerAddress < 1 || accountCeiling < freeFailuresPerAccount) {
            throw new IllegalArgumentException("wardfleet.identity free failure allowances must be at least 1, and "
                    + "account-ceiling at least free-failures-per-account");
        }
    }
}
