package org.wardfleet.platform.mongo;

import java.time.Duration;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/** Readiness depends on this: an instance that cannot reach its database must not take traffic. */
@Component("mongo")
class MongoHealthIndicator extends AbstractReactiveHealthIndicator {

    private final MongoDatabase database;
    private final MongoProperties properties;

    MongoHealthIndicator(MongoDatabase database, MongoProperties properties) {
        super("MongoDB health check failed");
        this.database = database;
        this.properties = properties;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.from(database.runCommand(new Document("ping", 1)))
                .timeout(Duration.ofSeconds(3))
                .map(ok -> builder.up()
                        .withDetail("mode", properties.external() ? "external" : "embedded-" + properties.embedded())
                        .build());
    }
}
