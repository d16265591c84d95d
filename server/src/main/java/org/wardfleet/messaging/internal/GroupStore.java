package org.wardfleet.messaging.internal;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Named groups of people, per organisation, by name. */
interface GroupStore {

    /** Defining a group again replaces its members (the name is the key). */
    Mono<NamedGroup> save(NamedGroup group);

    Mono<NamedGroup> byName(String orgId, String name);

    /** The organisation's groups by name. */
    Flux<NamedGroup> all(String orgId);
}
