package org.wardfleet.platform.mongo;

import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.event.CommandListener;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import io.micrometer.core.instrument.MeterRegistry;

/** Chooses the storage mode and hands every repository the same reactive {@link MongoDatabase}. */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MongoConfiguration.class);

    @Bean
    StorageStatus storageStatus(Clock clock, ApplicationEventPublisher events, MeterRegistry meters) {
        return new StorageStatus(clock, events, meters);
    }

    @Bean(destroyMethod = "close")
    EmbeddedMongo embeddedMongo(MongoProperties properties, DataDirectory data, StorageStatus status,
            Environment environment) {
        if (properties.external()) {
            return EmbeddedMongo.none();
        }
        boolean sync = properties.embeddedDurability() == MongoProperties.Durability.SYNC;
        if (!sync && Arrays.asList(environment.getActiveProfiles()).contains("prod")) {
            throw new IllegalStateException("wardfleet.mongodb.embedded-durability=NONE loses acknowledged writes "
                    + "on a crash; the prod profile refuses it");
        }
        EmbeddedStorage storage = switch (properties.embedded()) {
            case MEMORY -> EmbeddedStorage.inMemory(status);
            case H2 -> EmbeddedStorage.h2(data.dataDir(), status, properties.embeddedMinFree().toBytes(), sync);
        };
        log.info("Storage: embedded MongoDB-wire server on {} ({}{}); not for production", storage.connectionString()
                .substring("mongodb://".length()), storage.where(), sync ? "" : ", NOT durable");
        return new EmbeddedMongo(storage);
    }

    /**
     * {@code listeners}: driver command listeners in the context (none in the application; tests count the round
     * trips of a request with one).
     */
    @Bean(destroyMethod = "close")
    MongoClient mongoClient(MongoProperties properties, EmbeddedMongo embedded,
            ObjectProvider<CommandListener> listeners) {
        MongoClientSettings.Builder settings = MongoClientSettings.builder();
        if (properties.external()) {
            ConnectionString uri = new ConnectionString(properties.uri());
            log.info("Storage: external MongoDB at {}", redact(uri));
            settings = external(uri);
        } else {
            settings.applyConnectionString(new ConnectionString(embedded.storage().connectionString()))
                    .credential(embedded.storage().credential());
        }
        listeners.orderedStream().forEach(settings::addCommandListener);
        return MongoClients.create(settings
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS)).build());
    }

    /**
     * An external MongoDB: every write acknowledged by a majority of the replica set (a page or receipt answered 2xx
     * survives the loss of the primary), reads of majority-committed data only (no page state that a failover rolls
     * back), writes and reads retried once across a failover. Client-wide defaults, so every collection — pages,
     * receipts, deliveries, audit — gets them; options in the URI ({@code w}, {@code readConcernLevel},
     * {@code retryWrites}) still win, for an operator who must override them.
     */
    static MongoClientSettings.Builder external(ConnectionString uri) {
        return MongoClientSettings.builder()
                .writeConcern(WriteConcern.MAJORITY.withWTimeout(10, TimeUnit.SECONDS))
                .readConcern(ReadConcern.MAJORITY)
                .retryWrites(true)
                .retryReads(true)
                .applyConnectionString(uri);
    }

    @Bean
    ReplicaSetCheck replicaSetCheck(MongoClient client, MongoProperties properties, Environment environment) {
        return new ReplicaSetCheck(client, properties, environment);
    }

    @Bean
    SignalChannels signalChannels(MongoDatabase db, MongoProperties properties, SignalProperties signals, Clock clock,
            MeterRegistry meters) {
        return new SignalChannels(db, !properties.external(), signals, clock, meters);
    }

    @Bean
    MongoDatabase mongoDatabase(MongoClient client, MongoProperties properties) {
        return client.getDatabase(properties.database());
    }

    /** Never log credentials: hosts and database only. */
    private static String redact(ConnectionString uri) {
        return String.join(",", uri.getHosts()) + (uri.getDatabase() == null ? "" : "/" + uri.getDatabase());
    }

    /** The embedded database, or nothing when an external MongoDB is configured. */
    record EmbeddedMongo(EmbeddedStorage storage) implements EmbeddedDatabase, AutoCloseable {

        static EmbeddedMongo none() {
            return new EmbeddedMongo(null);
        }

        @Override
        public String uriWithCredentials() {
            return storage == null ? null : storage.uriWithCredentials();
        }

        @Override
        public void close() {
            if (storage != null) {
                storage.close();
            }
        }
    }
}
