package org.wardfleet.platform.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret from configuration: the value itself, or the content of a file (a Kubernetes/Docker secret); in
 * development, without either, one generated once into the data directory (mode 600) with a warning; under the
 * {@code prod} profile, without either, the server refuses to start.
 */
public final class LocalSecret {

    private static final Logger log = LoggerFactory.getLogger(LocalSecret.class);

    private LocalSecret() {
    }

    /**
     * @param what for messages, e.g. "the CA passphrase (WARDFLEET_CA_PASSPHRASE or wardfleet.pki.ca-passphrase-file)"
     * @param generated where a development secret is kept
     * @param minLength the shortest acceptable value
     */
    public static String resolve(String value, Path file, Path generated, boolean prod, String what, int minLength) {
        if (value != null && !value.isBlank()) {
            return checked(value, what, minLength);
        }
        if (file != null) {
            return checked(read(file), what + " in " + file, minLength);
        }
        if (prod) {
            throw new IllegalStateException("The prod profile needs " + what);
        }
        if (!Files.exists(generated)) {
            write(generated);
            log.warn("Generated a development secret in {} for {}; configure it in production",
                    generated.toAbsolutePath().normalize(), what);
        }
        return checked(read(generated), what, minLength);
    }

    private static String checked(String value, String what, int minLength) {
        if (value.length() < minLength) {
            throw new IllegalStateException(what + " must be at least " + minLength + " characters");
        }
        return value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the secret file " + file, e);
        }
    }

    /**
     * Created with mode 600 (where the file system has POSIX permissions) before a byte is written: writing first
     * and narrowing afterwards left a moment in which any local user could read the new secret. An instance that
     * loses a race to create it reads the winner's.
     */
    private static void write(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file); // the directory's ACLs protect it
            }
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random),
                    StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
            // another instance generated it a moment ago
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
