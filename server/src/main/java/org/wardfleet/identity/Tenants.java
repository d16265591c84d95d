package org.wardfleet.identity;

import reactor.core.publisher.Mono;

/** Creates organisations with their first administrator (first start, hosting operators, tests). */
public interface Tenants {

    Mono<NewTenant> create(String organisationName, String adminEmail, String adminPassword);

    /** The organisation created first (the one a single-hospital install has), if any. */
    Mono<Organisation> first();

    Mono<Organisation> find(String orgId);

    /** Every organisation (for events that concern the whole installation, such as a storage outage). */
    reactor.core.publisher.Flux<Organisation> all();

    record Organisation(String id, String name) {
    }

    record NewTenant(String orgId, String adminUserId) {
    }
}
