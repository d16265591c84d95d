package org.wardfleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No generated secret or private key is ever committed: a development passphrase or master key that reaches git is a
 * production secret as soon as someone deploys from that checkout. Runs on the repository's own index (CI works on
 * a clone); skipped where there is no git checkout (a source archive).
 */
class TrackedSecretsTests {

    /** Public samples on purpose: recorded attestation chains and roots (see their SOURCES.md), the dev-cert note. */
    static final List<String> ALLOWED = List.of("certs-dev/README.md", "server/src/test/resources/vectors/");

    static final Pattern KEY_STORE = Pattern.compile(".*\\.(p12|pfx|jks|jceks|keystore|bks|key|p8|pk8|der|mv\\.db|mv)$");
    static final Pattern PRIVATE_PEM = Pattern.compile("(.*/)?(private[^/]*|[^/]*[-_.]key)\\.pem$");
    static final Pattern SECRET_NAME = Pattern.compile("(.*/)?[^/]*(passphrase|master-key|data-key|secret)[^/]*$");

    @Test
    void noGeneratedSecretOrPrivateKeyIsTracked() throws Exception {
        Path root = repositoryRoot();
        Assumptions.assumeTrue(root != null, "not a git checkout");
        List<String> offending = new ArrayList<>();
        for (String path : trackedFiles(root)) {
            if (ALLOWED.stream().anyMatch(path::startsWith)) {
                continue;
            }
            if (suspicious(path) || holdsPrivateKey(root.resolve(path), path)) {
                offending.add(path);
            }
        }
        assertThat(offending).as("generated secrets and keys never go into git (git rm --cached them)").isEmpty();
    }

    /** Any {@code data/} directory (the embedded database and generated secrets), key stores, secret-named files. */
    static boolean suspicious(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        boolean source = lower.endsWith(".java") || lower.endsWith(".md");
        return ("/" + lower).contains("/data/") || KEY_STORE.matcher(lower).matches()
                || PRIVATE_PEM.matcher(lower).matches() || (!source && SECRET_NAME.matcher(lower).matches());
    }

    /** A PEM private key under any name (sources may build test keys in memory, never commit one). */
    private static boolean holdsPrivateKey(Path file, String path) throws IOException {
        if (path.endsWith(".java") || !Files.isRegularFile(file) || Files.size(file) > 1_000_000) {
            return false;
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        return text.contains("PRIVATE KEY-----");
    }

    private static List<String> trackedFiles(Path root) throws Exception {
        Process git;
        try {
            git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noGit) {
            Assumptions.abort("git is not installed");
            return List.of();
        }
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git ls-files").isZero();
        List<String> files = new ArrayList<>();
        for (String name : out.split("\0")) {
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        assertThat(files).as("tracked files").isNotEmpty();
        return files;
    }

    /** The checkout this build runs in: the nearest directory with {@code .git} (a directory, or a worktree's file). */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        return null;
    }
}
