package org.wardfleet.platform.mongo;

import java.time.Duration;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import com.mongodb.reactivestreams.client.MongoDatabase;

import reactor.core.publisher.Mono;

/**
 * Readiness depends on this: an instance that cannot reach its database, or whose storage cannot keep writes now (a
 * full disk), must not take traffic. The reason is in the details (shown to ADMIN and SECURITY).
 */
@Component("mongo")
class MongoHealthIndicator extends AbstractReactiveHealthIndicator {

    private final MongoDatabase database;
    private final MongoProperties properties;
    private final StorageStatus status;

    MongoHealthIndicator(MongoDatabase database, MongoProperties properties, StorageStatus status) {
        super("MongoDB health check failed");
        this.database = database;
        this.properties = properties;
        this.status = status;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        String mode = properties.external() ? "external" : "embedded-" + properties.embedded();
        StorageStatus.State state = status.state();
        if (!state.available()) {
            return Mono.just(builder.down().withDetail("mode", mode).withDetail("reason", state.reason())
                    .withDetail("since", state.since().toString()).build());
        }
        return Mono.from(database.runCommand(new Document("ping", 1)))
                .timeout(Duration.ofSeconds(3))
                .map(ok -> builder.up().withDetail("mode", mode).build());
    }
}
