package org.wardfleet.platform.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;

/** Chooses the storage mode and hands every repository the same reactive {@link MongoDatabase}. */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MongoConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedMongo embeddedMongo(MongoProperties properties, DataDirectory data) {
        if (properties.external()) {
            return EmbeddedMongo.none();
        }
        MongoBackend backend = switch (properties.embedded()) {
            case MEMORY -> new KeyLookupIndex.Memory();
            case H2 -> new KeyLookupIndex.H2(h2File(data.dataDir()).toString());
        };
        MongoServer server = new MongoServer(backend);
        // change streams (used by later features to coordinate instances) need the oplog
        server.enableOplog();
        server.bind("127.0.0.1", 0);
        String where = properties.embedded() == MongoProperties.EmbeddedBackend.H2
                ? "H2 file " + h2File(data.dataDir()).toAbsolutePath().normalize()
                : "memory";
        log.info("Storage: embedded MongoDB-wire server on {} ({}); not for production",
                server.getLocalAddress(), where);
        return new EmbeddedMongo(server, "mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(MongoProperties properties, EmbeddedMongo embedded) {
        String uri = properties.external() ? properties.uri() : embedded.connectionString();
        if (properties.external()) {
            log.info("Storage: external MongoDB at {}", redact(new ConnectionString(uri)));
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .build();
        return MongoClients.create(settings);
    }

    @Bean
    InsertFeed insertFeed(MongoProperties properties) {
        return new InsertFeed(!properties.external());
    }

    @Bean
    MongoDatabase mongoDatabase(MongoClient client, MongoProperties properties) {
        return client.getDatabase(properties.database());
    }

    private static Path h2File(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create wardfleet.data-dir " + dataDir, e);
        }
        return dataDir.resolve("wardfleet.mv");
    }

    /** Never log credentials: hosts and database only. */
    private static String redact(ConnectionString uri) {
        return String.join(",", uri.getHosts()) + (uri.getDatabase() == null ? "" : "/" + uri.getDatabase());
    }

    /** The embedded server, or nothing when an external MongoDB is configured. */
    record EmbeddedMongo(MongoServer server, String connectionString) implements AutoCloseable {

        static EmbeddedMongo none() {
            return new EmbeddedMongo(null, null);
        }

        @Override
        public void close() {
            if (server != null) {
                // shutdown() closes the backend, which flushes the H2 file
                server.shutdown();
            }
        }
    }
}
