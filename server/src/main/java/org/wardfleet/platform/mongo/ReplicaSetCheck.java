package org.wardfleet.platform.mongo;

import java.time.Duration;
import java.util.Arrays;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

import com.mongodb.MongoCommandException;
import com.mongodb.reactivestreams.client.MongoClient;

import reactor.core.publisher.Mono;

/**
 * At start-up with an external MongoDB: what the server is. Majority write and read concerns mean something only on
 * a replica set (or a sharded cluster, whose shards are replica sets): on a standalone server an acknowledged page is
 * one disk away from lost, and change streams do not exist. Under {@code prod} a standalone server stops the start
 * with one line ({@link StandaloneRefusedFailureAnalyzer}); elsewhere it is logged.
 */
final class ReplicaSetCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSetCheck.class);

    private final MongoClient client;
    private final MongoProperties properties;
    private final Environment environment;

    ReplicaSetCheck(MongoClient client, MongoProperties properties, Environment environment) {
        this.client = client;
        this.properties = properties;
        this.environment = environment;
    }

    /** The start refused: the configured MongoDB is a standalone server. */
    static final class StandaloneRefused extends IllegalStateException {
        StandaloneRefused(String message) {
            super(message);
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.external()) {
            return;
        }
        String kind = kind(hello().block(Duration.ofSeconds(60)));
        boolean prod = Arrays.asList(environment.getActiveProfiles()).contains("prod");
        if (kind != null) {
            log.info("Storage: MongoDB {} (write and read concern majority, retryable writes)", kind);
        } else if (prod) {
            throw new StandaloneRefused("wardfleet.mongodb.uri names a standalone MongoDB server; the prod profile "
                    + "needs a replica set or a sharded cluster (majority writes survive the loss of one server)");
        } else {
            log.warn("Storage: the MongoDB server is standalone (no replica set): acceptable for tests only; the prod "
                    + "profile refuses it");
        }
    }

    /** "replica set rs0", "sharded cluster", or null for a standalone server (hello: setName, msg: isdbgrid). */
    static String kind(Document hello) {
        if (hello.getString("setName") != null) {
            return "replica set " + hello.getString("setName");
        }
        if ("isdbgrid".equals(hello.getString("msg"))) {
            return "sharded cluster";
        }
        return null;
    }

    /** {@code hello}, or {@code isMaster} on a server too old for it (the embedded server speaks MongoDB 4.2). */
    private Mono<Document> hello() {
        var admin = client.getDatabase("admin");
        return Mono.from(admin.runCommand(new Document("hello", 1)))
                .onErrorResume(MongoCommandException.class,
                        e -> Mono.from(admin.runCommand(new Document("isMaster", 1))));
    }
}
