package org.wardfleet.identity.internal;

import java.time.Clock;
import java.util.EnumSet;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.Tenants;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.identity.UserSummary;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/** Creates organisations with their first administrator, and answers user look-ups for other features. */
@Component
class TenantService implements Tenants, UserDirectory {

    private final OrganisationRepository organisations;
    private final UserRepository users;
    private final UserAccounts administration;
    private final AuditLog audit;
    private final Clock clock;

    TenantService(OrganisationRepository organisations, UserRepository users, UserAccounts administration,
            AuditLog audit, Clock clock) {
        this.organisations = organisations;
        this.users = users;
        this.administration = administration;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Mono<NewTenant> create(String organisationName, String adminEmail, String adminPassword) {
        String orgId = UUID.randomUUID().toString();
        return organisations.insert(orgId, organisationName, clock.instant())
                .then(audit.record(AuditEvent.of(orgId, Actor.system(), "organisation.create", orgId,
                        AuditEvent.Outcome.SUCCESS)))
                .then(administration.create(orgId, Actor.system(), adminEmail, "Administrator",
                        EnumSet.of(Role.ADMIN), adminPassword))
                .map(admin -> new NewTenant(orgId, admin.id()));
    }

    @Override
    public Mono<Organisation> first() {
        return organisations.first();
    }

    @Override
    public reactor.core.publisher.Flux<Organisation> all() {
        return organisations.all();
    }

    @Override
    public Mono<Organisation> find(String orgId) {
        return organisations.find(orgId);
    }

    @Override
    public Mono<UserSummary> find(String orgId, String userId) {
        return users.find(orgId, userId).map(StoredUser::summary);
    }

    @Override
    public reactor.core.publisher.Flux<String> activeUserIds(String orgId) {
        return users.activeIds(orgId);
    }

    @Override
    public Mono<java.util.Map<String, String>> displayNames(String orgId, java.util.Collection<String> userIds) {
        return users.displayNames(orgId, userIds);
    }

    @Override
    public Mono<UserSummary> findByEmail(String orgId, String email) {
        return users.findByEmail(orgId, email.trim().toLowerCase(java.util.Locale.ROOT)).map(StoredUser::summary);
    }

    @Override
    public reactor.core.publisher.Flux<UserSummary> matching(String orgId, String text, int limit) {
        return users.matching(orgId, text, limit).map(StoredUser::summary);
    }
}
