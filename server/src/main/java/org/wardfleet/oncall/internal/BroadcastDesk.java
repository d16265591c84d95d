package org.wardfleet.oncall.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.Paging;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.Broadcasts;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * {@link Broadcasts}: resolves the audience (everyone active, whoever is on call for a role now, a group's members),
 * checks {@link BroadcastPermission}, and sends under an intent ({@link PageIntents}). Cost of a list: a read of the
 * organisation's entries in {@code broadcasts} (one small document per broadcast; the embedded database scans them,
 * MongoDB orders them by index).
 */
@Component
class BroadcastDesk implements Broadcasts {

    private final Paging paging;
    private final UserDirectory users;
    private final Coverage coverage;
    private final PageIntents intents;
    private final Clock clock;
    private final BroadcastPermission permission;
    private final BroadcastStore broadcasts;
    private final OnCallStore roles;
    private final PeopleNames names;

    BroadcastDesk(Paging paging, UserDirectory users, Coverage coverage, PageIntents intents, Clock clock,
            BroadcastPermission permission, BroadcastStore broadcasts, OnCallStore roles, PeopleNames names) {
        this.paging = paging;
        this.users = users;
        this.coverage = coverage;
        this.intents = intents;
        this.clock = clock;
        this.permission = permission;
        this.broadcasts = broadcasts;
        this.roles = roles;
        this.names = names;
    }

    @Override
    public Mono<String> send(Caller caller, NewBroadcast body, String idempotencyKey) {
        Priority priority = Priority.parse(body.priority(), "priority");
        caller.requireAny(Role.ADMIN, Role.INCIDENT_LEAD, Role.CLINICIAN);
        boolean drill = Boolean.TRUE.equals(body.drill());
        return audience(caller.orgId(), body.audience())
                .flatMap(people -> permission.check(caller, body.audience(), people, drill).thenReturn(people))
                .flatMap(people -> intents.broadcast(caller.orgId(), caller.userId(), target(body.audience()), people,
                        body.text(), priority, body.choices(), drill, idempotencyKey));
    }

    @Override
    public Mono<RollupView> rollup(Caller caller, String id) {
        Mono<String> asking = caller.has(Role.ADMIN) || caller.has(Role.SECURITY)
                ? broadcasts.find(caller.orgId(), id).map(BroadcastStore.Broadcast::senderId)
                        .defaultIfEmpty(caller.userId())
                : Mono.just(caller.userId());
        return asking.flatMap(as -> paging.rollup(caller.orgId(), id, as))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No broadcast %s", id)))
                .flatMap(r -> names.of(caller.orgId(), r.pending()).map(named -> new RollupView(id, r.drill(),
                        new Counts(r.recipients(), r.delivered(), r.read(), r.acknowledged()), r.choices(), r.pending(),
                        r.pending().stream().map(u -> new Person(u, named.get(u))).toList())));
    }

    @Override
    public Mono<BroadcastList> list(Caller caller, Filter filter, int page, int size) {
        PageRequest request = PageRequest.of(page, size);
        boolean everything = caller.has(Role.ADMIN) || caller.has(Role.SECURITY);
        String sender = everything ? StoredPageHistory.blankToNull(filter.senderId()) : caller.userId();
        BroadcastStore.Filter stored = new BroadcastStore.Filter(sender, filter.drill(),
                PageRequest.oneOf("priority", filter.priority(), org.wardfleet.oncall.PageHistory.PRIORITIES));
        return broadcasts.list(caller.orgId(), stored, request).collectList()
                .flatMap(list -> summaries(caller.orgId(), list))
                .zipWith(broadcasts.count(caller.orgId(), stored))
                .map(t -> new BroadcastList(t.getT1(), page, size, t.getT2()));
    }

    @Override
    public Mono<Map<String, String>> roles(Caller caller) {
        return roles.roles(caller.orgId())
                .sort(java.util.Comparator.comparing(OnCallStore.Role::name, String.CASE_INSENSITIVE_ORDER))
                .collect(java.util.LinkedHashMap<String, String>::new, (byId, r) -> byId.put(r.id(), r.name()))
                .map(byId -> (Map<String, String>) byId);
    }

    private Mono<List<BroadcastSummary>> summaries(String orgId, List<BroadcastStore.Broadcast> list) {
        boolean anyRole = list.stream().anyMatch(b -> b.audience() != null && "role".equals(b.audience().type()));
        Mono<Map<String, String>> roleNames = anyRole
                ? roles.roles(orgId).collectMap(OnCallStore.Role::id, OnCallStore.Role::name) : Mono.just(Map.of());
        return Mono.zip(names.of(orgId, list.stream().map(BroadcastStore.Broadcast::senderId).toList()), roleNames)
                .map(t -> list.stream().map(b -> new BroadcastSummary(b.id(), b.senderId(),
                        t.getT1().get(b.senderId()), b.audience() == null ? null
                                : new AudienceView(b.audience().type(), b.audience().id(),
                                        "role".equals(b.audience().type()) ? t.getT2().get(b.audience().id())
                                                : b.audience().id()),
                        b.priority().name(), b.drill(), b.recipients(), b.choices(), b.sentAt())).toList());
    }

    private static Recipient target(Audience audience) {
        return Boolean.TRUE.equals(audience.all()) ? new Recipient.Everyone()
                : audience.roleId() != null ? new Recipient.OnCallRole(audience.roleId())
                : new Recipient.Group(audience.groupId());
    }

    private Mono<List<String>> audience(String orgId, Audience audience) {
        int named = (Boolean.TRUE.equals(audience.all()) ? 1 : 0) + (audience.roleId() == null ? 0 : 1)
                + (audience.groupId() == null ? 0 : 1);
        if (named != 1) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                    "The audience is exactly one of all, roleId, groupId"));
        }
        if (Boolean.TRUE.equals(audience.all())) {
            return users.activeUserIds(orgId).collectList();
        }
        if (audience.roleId() != null) {
            return coverage.onCall(orgId, audience.roleId(), clock.instant());
        }
        return paging.groupMembers(orgId, audience.groupId());
    }
}
