package org.wardfleet.platform.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The embedded database as a process of its own, so that several Wardfleet instances can share it (the separate-process
 * tests: {@code server/src/test/java/org/wardfleet/cluster}). It is the same H2 store, durable group commit and
 * authenticated wire server that a single instance embeds, with change streams (the oplog of watched collections)
 * enabled; the instances reach it through {@code wardfleet.mongodb.uri}, as they would reach MongoDB, and so use change
 * streams for their signal collections. It is still one copy on one disk: for tests and evaluation, not production.
 * <pre>
 * java -jar wardfleet-server.jar --wardfleet.storage-server.port=27017 --wardfleet.storage-server.data-dir=/srv/db
 * </pre>
 * Settings (command line): {@code port} (required), {@code data-dir} (default {@code ./data}), {@code host} (default
 * {@code 127.0.0.1}), {@code password-file} (the password of the user {@code wardfleet}; else the environment's
 * {@code WARDFLEET_STORAGE_SERVER_PASSWORD}; else one is generated into {@code <data-dir>/storage-password}, 0600). It
 * prints {@code Storage server ready: <uri without password>} once it accepts connections; SIGTERM closes it cleanly.
 */
public final class StorageServer {

    private static final Logger log = LoggerFactory.getLogger(StorageServer.class);
    /** The command-line prefix that selects this mode of the jar. */
    public static final String PREFIX = "--wardfleet.storage-server.";

    private StorageServer() {
    }

    /** Whether the command line asks for the storage server rather than Wardfleet. */
    public static boolean requested(String[] args) {
        for (String arg : args) {
            if (arg.startsWith(PREFIX + "port=")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) throws InterruptedException {
        // without Spring Boot's logging set-up Logback would log everything at DEBUG
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
        Map<String, String> settings = settings(args);
        int port = Integer.parseInt(settings.getOrDefault("port", "-1"));
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(PREFIX + "port=<0-65535> is required");
        }
        Path dataDir = Path.of(settings.getOrDefault("data-dir", "data")).toAbsolutePath();
        String host = settings.getOrDefault("host", "127.0.0.1");
        String password = password(settings.get("password-file"), dataDir);
        StorageStatus status = new StorageStatus(Clock.systemUTC(), event -> { }, new SimpleMeterRegistry());
        EmbeddedStorage storage = EmbeddedStorage.h2(dataDir, status, 64L << 20, true,
                new EmbeddedStorage.Listen(host, port, password));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            storage.close(); // the last commit, then a clean H2 close and the directory lock released
            stopped.countDown();
        }, "wardfleet-storage-server-stop"));
        log.info("Storage server ready: {} (user {}, H2 file in {}, durable replies, change streams)",
                storage.connectionString(), EmbeddedStorage.USER, dataDir);
        stopped.await();
    }

    /** {@code mongodb://wardfleet:<password>@host:port/?…} for {@code wardfleet.mongodb.uri}. */
    public static String uri(String host, int port, String password) {
        return "mongodb://" + EmbeddedStorage.USER + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@"
                + host + ":" + port + "/?authSource=admin&authMechanism=" + ScramSha256.MECHANISM;
    }

    private static Map<String, String> settings(String[] args) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith(PREFIX) || eq < 0) {
                throw new IllegalArgumentException("Unknown storage-server setting: " + arg.replaceAll("=.*", ""));
            }
            settings.put(arg.substring(PREFIX.length(), eq), arg.substring(eq + 1));
        }
        return settings;
    }

    private static String password(String file, Path dataDir) {
        try {
            if (file != null) {
                return Files.readString(Path.of(file)).strip();
            }
            String fromEnvironment = System.getenv("WARDFLEET_STORAGE_SERVER_PASSWORD");
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                return fromEnvironment.strip();
            }
            Path generated = dataDir.resolve("storage-password");
            if (!Files.exists(generated)) {
                Files.createDirectories(dataDir);
                Files.createFile(generated, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(generated, EmbeddedStorage.Listen.loopback().password());
            }
            return Files.readString(generated).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the storage server's password", e);
        }
    }
}
