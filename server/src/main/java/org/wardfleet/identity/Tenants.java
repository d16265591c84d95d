package org.wardfleet.identity;

import reactor.core.publisher.Mono;

/** Creates organisations with their first administrator (first start, hosting operators, tests). */
public interface Tenants {

    Mono<NewTenant> create(String organisationName, String adminEmail, String adminPassword);

    /** The organisation created first (the one a single-hospital install has), if any. */
    Mono<Organisation> first();

    Mono<Organisation> find(String orgId);

    record Organisation(String id, String name) {
    }

    record NewTenant(String orgId, String adminUserId) {
    }
}
