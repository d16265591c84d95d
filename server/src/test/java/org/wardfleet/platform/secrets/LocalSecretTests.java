package org.wardfleet.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated development secret is never readable by other local users, not even for a moment. */
class LocalSecretTests {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Test
    void aGeneratedSecretIsOwnerOnlyFromTheMomentItExists(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // a watcher looks at each new file as fast as it can; writing first and narrowing afterwards is caught
        Set<Set<PosixFilePermission>> seen = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 200; round++) {
            Path generated = dir.resolve("round-" + round).resolve("secret");
            AtomicBoolean done = new AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!done.get()) {
                    try {
                        seen.add(Files.getPosixFilePermissions(generated, LinkOption.NOFOLLOW_LINKS));
                    } catch (Exception notYet) {
                        // not created yet
                    }
                }
            });
            watcher.start();
            String secret = LocalSecret.resolve(null, null, generated, false, "a test secret", 32);
            done.set(true);
            watcher.join();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
            seen.add(Files.getPosixFilePermissions(generated));
        }
        assertThat(seen).as("permissions the secret file ever had").containsOnly(OWNER_ONLY);
    }

    @Test
    void anExistingSecretIsReadNotReplaced(@TempDir Path dir) {
        Path generated = dir.resolve("secret");
        String first = LocalSecret.resolve(null, null, generated, false, "a test secret", 32);
        assertThat(LocalSecret.resolve(null, null, generated, false, "a test secret", 32)).isEqualTo(first);
    }
}
