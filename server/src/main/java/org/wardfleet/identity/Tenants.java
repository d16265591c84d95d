package org.wardfleet.identity;

import reactor.core.publisher.Mono;

/** Creates organisations with their first administrator (first start, hosting operators, tests). */
public interface Tenants {

    Mono<NewTenant> create(String organisationName, String adminEmail, String adminPassword);

    record NewTenant(String orgId, String adminUserId) {
    }
}
