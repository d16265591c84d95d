package org.wardfleet.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.wardfleet.platform.mongo.DataDirectory;

/**
 * The passphrase that encrypts CA private keys at rest. Development without one gets a generated passphrase in
 * {@code <data-dir>/ca-passphrase} (mode 600); production must bring its own, so the key and its passphrase are
 * never in the same backup by default.
 */
@Component
class CaPassphrase {

    private static final Logger log = LoggerFactory.getLogger(CaPassphrase.class);

    private final char[] passphrase;

    CaPassphrase(PkiProperties properties, DataDirectory data, Environment environment) {
        this.passphrase = resolve(properties, data.dataDir(),
                Arrays.asList(environment.getActiveProfiles()).contains("prod"));
    }

    char[] value() {
        return passphrase.clone();
    }

    private static char[] resolve(PkiProperties properties, Path dataDir, boolean prod) {
        if (properties.caPassphrase() != null && !properties.caPassphrase().isBlank()) {
            return properties.caPassphrase().toCharArray();
        }
        if (properties.caPassphraseFile() != null) {
            return read(properties.caPassphraseFile());
        }
        if (prod) {
            throw new IllegalStateException("The prod profile needs a CA passphrase: set WARDFLEET_CA_PASSPHRASE "
                    + "(wardfleet.pki.ca-passphrase) or wardfleet.pki.ca-passphrase-file");
        }
        Path generated = dataDir.resolve("ca-passphrase");
        if (!Files.exists(generated)) {
            write(generated);
            log.warn("Generated a development CA passphrase in {}; set WARDFLEET_CA_PASSPHRASE in production",
                    generated.toAbsolutePath().normalize());
        }
        return read(generated);
    }

    private static char[] read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.length() < 16) {
                throw new IllegalStateException("The CA passphrase in " + file + " must be at least 16 characters");
            }
            return text.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CA passphrase file " + file, e);
        }
    }

    private static void write(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random),
                    StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the directory's ACLs protect it
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
