package org.wardfleet.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The standard tools an administrator types (openssl, curl), run by tests exactly as docs/*.md show them. */
public final class CommandLine {

    private CommandLine() {
    }

    /** Runs {@code command} in {@code dir}; its output (stdout and stderr), or an AssertionError with it on failure. */
    public static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** True when {@code tool} is an executable on the PATH (tests assume it, CI installs it). */
    public static boolean onPath(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }
}
