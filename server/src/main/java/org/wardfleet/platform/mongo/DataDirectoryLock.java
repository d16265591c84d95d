package org.wardfleet.platform.mongo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The embedded storage's hold on its data directory, taken before anything is opened: the directory exists, is
 * private to this account (0700, files in it 0600: it holds the database and the generated development secrets),
 * can really be written (a read-only mount or a full disk is refused here with one clear line instead of a server
 * that answers 201 and keeps nothing), and is used by this process alone (a second server on the same directory
 * stops at once, naming the holder, instead of waiting for the database file's own lock).
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String LOCK_FILE = "wardfleet.lock";
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown with a one-line, operator-facing reason; the server does not start. */
    static final class Refused extends IllegalStateException {
        Refused(String message) {
            super(message);
        }
    }

    /** Creates the directory if needed, tightens its permissions, checks it is writable and locks it. */
    static DataDirectoryLock acquire(Path dataDir) {
        Path directory = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new Refused("Cannot create the data directory " + directory + ": " + reason(e));
        }
        probe(directory);
        makePrivate(directory);
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        } catch (IOException e) {
            throw new Refused("Cannot open " + lockFile + ": " + reason(e));
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(lockFile);
            close(channel);
            throw new Refused("The data directory " + directory + " is in use by another Wardfleet server"
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + "; stop it or set wardfleet.data-dir");
        }
        try {
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode("pid " + ProcessHandle.current().pid() + "\n"), 0);
            channel.force(true);
        } catch (IOException e) {
            close(channel);
            throw new Refused("Cannot write " + lockFile + ": " + reason(e));
        }
        return new DataDirectoryLock(directory, channel, lock);
    }

    Path directory() {
        return directory;
    }

    /** 0700 on the directory, 0600 on every file directly in it (POSIX file systems; elsewhere ACLs apply). */
    static void makePrivate(Path directory) {
        try {
            Files.setPosixFilePermissions(directory, DIRECTORY);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file) && !Files.getPosixFilePermissions(file).equals(FILE)) {
                        Files.setPosixFilePermissions(file, FILE);
                    }
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: the directory's ACLs protect it
        } catch (IOException e) {
            throw new Refused("Cannot restrict the permissions of the data directory " + directory + ": "
                    + reason(e));
        }
    }

    /** A file created, forced to disk and removed: the cheapest proof that writes will be kept. */
    static void probe(Path directory) {
        Path probe = directory.resolve(".write-probe");
        try {
            try (FileChannel out = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(StandardCharsets.UTF_8.encode("wardfleet write probe\n"));
                out.force(true);
            }
            Files.delete(probe);
        } catch (IOException e) {
            throw new Refused("The data directory " + directory + " is not writable (" + reason(e)
                    + "): Wardfleet will not start on storage that cannot keep what it accepts");
        }
    }

    private static String holder(Path lockFile) {
        try {
            return Files.readString(lockFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The operating system's reason inside a failure (e.g. "No space left on device"), for one log line. */
    static String reasonOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                return reason(io);
            }
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }
}
