package org.wardfleet.pki.internal;

import java.nio.file.Path;
import java.util.Arrays;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.DataDirectory;
import org.wardfleet.platform.secrets.LocalSecret;

/**
 * The passphrase that encrypts CA private keys at rest. Development without one gets a generated passphrase in
 * {@code <data-dir>/ca-passphrase} (mode 600); production must bring its own, so the key and its passphrase are
 * never in the same backup by default.
 */
@Component
class CaPassphrase {

    private final char[] passphrase;

    CaPassphrase(PkiProperties properties, DataDirectory data, Environment environment) {
        this.passphrase = resolve(properties, data.dataDir(),
                Arrays.asList(environment.getActiveProfiles()).contains("prod"));
    }

    char[] value() {
        return passphrase.clone();
    }

    private static char[] resolve(PkiProperties properties, Path dataDir, boolean prod) {
        return LocalSecret.resolve(properties.caPassphrase(), properties.caPassphraseFile(),
                dataDir.resolve("ca-passphrase"), prod, "a CA passphrase: set WARDFLEET_CA_PASSPHRASE "
                        + "(wardfleet.pki.ca-passphrase) or wardfleet.pki.ca-passphrase-file", 16).toCharArray();
    }
}
