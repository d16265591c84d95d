package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.oncall.OnCallSchedules;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link OnCallSchedules}: the schedule is {@link Coverage#segments} (what routes pages), overrides are written here
 * for the API ({@link CoverController}) and the console alike, with the same rules ({@link CoverRules}) and audit.
 */
@Component
class RoleSchedules implements OnCallSchedules {

    private final OnCallStore store;
    private final Coverage coverage;
    private final References references;
    private final PeopleNames names;
    private final AuditLog audit;
    private final Clock clock;

    RoleSchedules(OnCallStore store, Coverage coverage, References references, PeopleNames names, AuditLog audit,
            Clock clock) {
        this.store = store;
        this.coverage = coverage;
        this.references = references;
        this.names = names;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Flux<RoleSummary> roles(Caller caller) {
        return store.roles(caller.orgId()).collectList()
                .flatMapMany(roles -> named(caller, roles.stream().flatMap(r -> people(r).stream()).toList())
                        .flatMapIterable(n -> roles.stream().map(r -> summary(r, n)).toList()));
    }

    @Override
    public Mono<RoleSummary> role(Caller caller, String roleId) {
        return role(caller.orgId(), roleId).flatMap(r -> named(caller, people(r)).map(n -> summary(r, n)));
    }

    @Override
    public Mono<Schedule> schedule(Caller caller, String roleId, Instant from, Instant to) {
        InputBounds.Window window = InputBounds.window(from, to, clock.instant(), OnCallController.GAP_NOTICE,
                OnCallController.MAX_WINDOW);
        return role(caller.orgId(), roleId).flatMap(role -> Mono.zip(
                        coverage.segments(role, window.from(), window.to()),
                        store.covers(caller.orgId(), roleId, window.from(), window.to()).collectList())
                .flatMap(t -> {
                    List<String> ids = new ArrayList<>(people(role));
                    t.getT1().forEach(s -> ids.addAll(s.userIds()));
                    t.getT2().forEach(c -> ids.add(c.userId()));
                    return named(caller, ids).map(n -> new Schedule(summary(role, n), window.from(), window.to(),
                            t.getT1().stream().map(s -> new Segment(s.userIds().stream().map(u -> person(u, n))
                                    .toList(), s.start(), s.end(), s.override())).toList(),
                            t.getT2().stream().map(c -> cover(c, n)).toList()));
                }));
    }

    @Override
    public Mono<String> addOverride(Caller caller, String roleId, String userId, String from, String to) {
        return add(caller, roleId, "OVERRIDE", userId, from, to).map(OnCallStore.StoredCover::id);
    }

    /** An override or leave: ADMIN or the role's owners (or a person for their own leave); audited. */
    Mono<OnCallStore.StoredCover> add(Caller caller, String roleId, String kind, String userId, String from,
            String to) {
        return role(caller.orgId(), roleId)
                .flatMap(role -> {
                    CoverRules.allowed(caller, role, kind, userId, userId);
                    InputBounds.Window window = CoverRules.window(from, to, role);
                    return references.activeUsers(caller.orgId(), List.of(userId), "userId")
                            .then(store.insert(caller.orgId(), new OnCallStore.StoredCover(
                                    UUID.randomUUID().toString(), roleId, kind, userId, window.from(),
                                    window.to())));
                })
                .flatMap(c -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "oncall." + kind.toLowerCase(Locale.ROOT), roleId, Outcome.SUCCESS)
                        .withDetail("userId", c.userId()).withDetail("from", c.from().toString())
                        .withDetail("to", c.to().toString())).thenReturn(c));
    }

    @Override
    public Mono<Cover> cover(Caller caller, String roleId, String coverId) {
        return role(caller.orgId(), roleId).then(stored(caller, roleId, coverId))
                .flatMap(c -> named(caller, List.of(c.userId())).map(n -> cover(c, n)));
    }

    @Override
    public Mono<Void> deleteCover(Caller caller, String roleId, String coverId) {
        return role(caller.orgId(), roleId)
                .flatMap(role -> stored(caller, roleId, coverId).flatMap(c -> {
                    CoverRules.allowed(caller, role, c.kind(), c.userId(), c.userId());
                    return store.delete(caller.orgId(), roleId, coverId).thenReturn(c);
                }))
                .flatMap(c -> audited(caller, c, "delete"));
    }

    Mono<Void> audited(Caller caller, OnCallStore.StoredCover c, String change) {
        return audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                "oncall." + c.kind().toLowerCase(Locale.ROOT) + "." + change, c.roleId(), Outcome.SUCCESS)
                .withDetail("coverId", c.id()).withDetail("userId", c.userId()).withDetail("from", c.from().toString())
                .withDetail("to", c.to().toString()));
    }

    Mono<OnCallStore.Role> role(String orgId, String id) {
        return store.role(orgId, id)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No on-call role %s", id)));
    }

    Mono<OnCallStore.StoredCover> stored(Caller caller, String roleId, String coverId) {
        return store.cover(caller.orgId(), roleId, coverId).switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND
                .exception("No override or leave %s for this role", coverId)));
    }

    private Mono<Map<String, String>> named(Caller caller, Collection<String> ids) {
        return names.of(caller.orgId(), ids);
    }

    private static List<String> people(OnCallStore.Role role) {
        List<String> ids = new ArrayList<>(role.owners());
        ids.addAll(role.rota().participants());
        return ids;
    }

    private static RoleSummary summary(OnCallStore.Role r, Map<String, String> names) {
        return new RoleSummary(r.id(), r.name(), r.zone().getId(),
                r.owners().stream().map(u -> person(u, names)).toList(),
                r.rota().participants().stream().map(u -> person(u, names)).toList(), r.rota().shift(),
                r.escalationPolicyId());
    }

    private static Cover cover(OnCallStore.StoredCover c, Map<String, String> names) {
        return new Cover(c.id(), c.roleId(), c.kind(), person(c.userId(), names), c.from(), c.to());
    }

    /** A person by id; one no longer in the organisation keeps their id as name, never hidden. */
    private static Person person(String id, Map<String, String> names) {
        return new Person(id, names.getOrDefault(id, id));
    }
}
