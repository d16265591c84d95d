package org.wardfleet.platform.mongo;

import org.reactivestreams.Publisher;

/**
 * A repository that owns a collection declares its indexes here; they are created once at startup, before the
 * server takes traffic. Unique indexes are what make claims, single use and chains safe without transactions.
 */
public interface IndexedCollection {

    Publisher<?> createIndexes();
}
