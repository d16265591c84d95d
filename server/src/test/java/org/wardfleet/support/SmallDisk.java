package org.wardfleet.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real, small file system (a tmpfs of a few MB) that a test can fill up, free again, or remount read-only: the
 * storage-failure tests meet the operating system's own "No space left on device" and "Read-only file system", not a
 * simulation. Mounting needs root with CAP_SYS_ADMIN, as on these machines and in CI; elsewhere the tests are skipped
 * with that reason, except where {@code WARDFLEET_REQUIRE_SMALL_DISK=true} (set by {@code .ci/run}) makes that a
 * failure.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    public static SmallDisk mount(Path mountPoint, int megabytes) throws Exception {
        Files.createDirectories(mountPoint);
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs",
                mountPoint.toString());
        if (!mounted && "true".equals(System.getenv("WARDFLEET_REQUIRE_SMALL_DISK"))) {
            // CI sets this: there the storage-failure tests must run, never be skipped unnoticed
            throw new IllegalStateException("WARDFLEET_REQUIRE_SMALL_DISK is set but a tmpfs cannot be mounted at "
                    + mountPoint + " (needs root with CAP_SYS_ADMIN)");
        }
        Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root with CAP_SYS_ADMIN");
        return new SmallDisk(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Writes a filler file until the file system is full (ENOSPC). */
    public void fill() throws IOException {
        ByteBuffer block = ByteBuffer.allocate(64 * 1024);
        try (FileChannel out = FileChannel.open(mountPoint.resolve("filler"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (true) {
                block.clear();
                out.write(block);
            }
        } catch (IOException full) {
            if (Files.getFileStore(mountPoint).getUsableSpace() > 64 * 1024) {
                throw full;
            }
        }
    }

    /** Removes the filler: the space is back. */
    public void free() throws IOException {
        Files.deleteIfExists(mountPoint.resolve("filler"));
    }

    public void readOnly() throws Exception {
        if (!run("mount", "-o", "remount,ro", mountPoint.toString())) {
            throw new IllegalStateException("could not remount " + mountPoint + " read-only");
        }
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", mountPoint.toString());
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
