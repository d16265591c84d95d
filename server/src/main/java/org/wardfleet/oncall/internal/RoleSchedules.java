package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.oncall.OnCallSchedules;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link OnCallSchedules}: the schedule is {@link Coverage#segments} (what routes pages); overrides are written
 * through {@link Covers}, as the API's ({@link CoverController}), with the same rules and audit.
 */
@Component
class RoleSchedules implements OnCallSchedules {

    private final OnCallStore store;
    private final Coverage coverage;
    private final Covers covers;
    private final PeopleNames names;
    private final Clock clock;

    RoleSchedules(OnCallStore store, Coverage coverage, Covers covers, PeopleNames names, Clock clock) {
        this.store = store;
        this.coverage = coverage;
        this.covers = covers;
        this.names = names;
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
        return covers.add(caller, roleId, "OVERRIDE", userId, from, to).map(OnCallStore.StoredCover::id);
    }

    @Override
    public Mono<Cover> cover(Caller caller, String roleId, String coverId) {
        return role(caller.orgId(), roleId).then(stored(caller, roleId, coverId))
                .flatMap(c -> named(caller, List.of(c.userId())).map(n -> cover(c, n)));
    }

    @Override
    public Mono<Void> deleteCover(Caller caller, String roleId, String coverId) {
        return covers.delete(caller, roleId, coverId).then();
    }

    Mono<OnCallStore.Role> role(String orgId, String id) {
        return CoverRules.role(store, orgId, id);
    }

    Mono<OnCallStore.StoredCover> stored(Caller caller, String roleId, String coverId) {
        return CoverRules.cover(store, caller.orgId(), roleId, coverId);
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
