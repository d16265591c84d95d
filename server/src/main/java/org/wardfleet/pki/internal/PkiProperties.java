package org.wardfleet.pki.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.pki.*}. The CA keys are stored encrypted with {@code caPassphrase} (env
 * {@code WARDFLEET_CA_PASSPHRASE}) or the content of {@code caPassphraseFile}; the {@code prod} profile refuses to
 * start without one.
 */
@ConfigurationProperties("wardfleet.pki")
record PkiProperties(
        String caPassphrase,
        Path caPassphraseFile,
        @DefaultValue("365d") Duration certificateValidity,
        @DefaultValue("3650d") Duration caValidity,
        @DefaultValue("1d") Duration crlValidity,
        @DefaultValue("1h") Duration ocspValidity) {

    PkiProperties {
        if (certificateValidity.compareTo(Duration.ofDays(1)) < 0
                || certificateValidity.compareTo(Duration.ofDays(825)) > 0) {
            throw new IllegalArgumentException("wardfleet.pki.certificate-validity must be between 1d and 825d");
        }
        if (caPassphrase != null && !caPassphrase.isEmpty() && caPassphrase.length() < 16) {
            throw new IllegalArgumentException("wardfleet.pki.ca-passphrase must be at least 16 characters");
        }
    }
}
