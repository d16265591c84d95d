package org.wardfleet.platform.mongo;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;

/**
 * Creates every repository's indexes once, on the startup thread, before the web server accepts requests. Blocking
 * is fine here: no event loop is running yet, and serving without the unique indexes would be unsafe.
 */
@Component
class MongoIndexInitializer implements SmartInitializingSingleton {

    private final List<IndexedCollection> collections;

    MongoIndexInitializer(List<IndexedCollection> collections) {
        this.collections = collections;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Flux.fromIterable(collections)
                .concatMap(c -> Flux.from(c.createIndexes()))
                .then()
                .block(Duration.ofSeconds(60));
    }
}
