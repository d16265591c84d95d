package org.wardfleet.oncall.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.Paging;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Mass notification: a broadcast to everybody, to whoever is on call for a role now, or to a group — with optional
 * answers ("available / not available") and a live roll-up. A drill is shown as a drill on every device and its
 * roll-up is kept like any other.
 */
@RestController
class BroadcastController {

    static final int MAX_CHOICES = 5;

    private final Paging paging;
    private final UserDirectory users;
    private final Coverage coverage;
    private final PageIntents intents;
    private final Clock clock;
    private final BroadcastPermission permission;
    private final BroadcastStore broadcasts;
    private final OnCallStore roles;
    private final PeopleNames names;

    BroadcastController(Paging paging, UserDirectory users, Coverage coverage, PageIntents intents, Clock clock,
            BroadcastPermission permission, BroadcastStore broadcasts, OnCallStore roles, PeopleNames names) {
        this.broadcasts = broadcasts;
        this.roles = roles;
        this.names = names;
        this.permission = permission;
        this.paging = paging;
        this.users = users;
        this.coverage = coverage;
        this.intents = intents;
        this.clock = clock;
    }

    record Audience(Boolean all, String roleId, String groupId) {
    }

    record NewBroadcast(@NotNull @Valid Audience audience, @NotNull @Size(min = 1, max = 4096) String text,
            @NotNull @Pattern(regexp = "ROUTINE|URGENT|STAT") String priority,
            @Size(max = MAX_CHOICES) List<@Size(min = 1, max = 64) String> choices, Boolean drill) {
    }

    record Created(String id) {
    }

    @Operation(summary = "Broadcast (or drill) to everyone, an on-call role or a group")
    @ApiResponse(responseCode = "201", description = "The broadcast")
    @Problems({"403 forbidden", "403 broadcast-forbidden", "400 conversation-invalid", "409 rota-unusable"})
    @PostMapping("/api/v1/broadcasts")
    Mono<ResponseEntity<Created>> broadcast(Caller caller,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody NewBroadcast body) {
        caller.requireAny(Role.ADMIN, Role.INCIDENT_LEAD, Role.CLINICIAN);
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? "broadcast-" + UUID.randomUUID()
                : idempotencyKey;
        return audience(caller.orgId(), body.audience())
                .flatMap(people -> permission.check(caller, body.audience(), people,
                        Boolean.TRUE.equals(body.drill())).thenReturn(people))
                .flatMap(people -> intents.broadcast(caller.orgId(), caller.userId(), target(body.audience()), people,
                        body.text(),
                        body.priority(), body.choices(), Boolean.TRUE.equals(body.drill()), key))
                .map(id -> ResponseEntity.created(URI.create("/api/v1/broadcasts/" + id)).body(new Created(id)));
    }

    record Counts(int recipients, int delivered, int read, int acknowledged) {
    }

    /** A person with their display name. */
    @Schema(name = "NamedPerson")
    record Person(String id, String displayName) {
    }

    /** {@code pendingPeople}: {@code pending} with names, in the same order. */
    record RollupView(String id, boolean drill, Counts counts, Map<String, Integer> choices, List<String> pending,
            List<Person> pendingPeople) {
    }

    /**
     * The live roll-up: for the sender and any recipient (the incident lead is usually both), and — counts and people,
     * never text — for {@code ADMIN} and {@code SECURITY}, of any broadcast in the broadcast list.
     */
    @Operation(summary = "A broadcast's live roll-up: counts, choices, who has not answered")
    @GetMapping("/api/v1/broadcasts/{id}")
    Mono<RollupView> rollup(Caller caller, @PathVariable String id) {
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

    /** {@code audience.type}: {@code all}, {@code role} or {@code group}; {@code name}: the role's name. */
    @Schema(name = "BroadcastAudience")
    record AudienceView(String type, String id, String name) {
    }

    record BroadcastSummary(String id, String senderId, String senderName, AudienceView audience, String priority,
            boolean drill, int recipients, List<String> choices, Instant sentAt) {
    }

    record BroadcastList(List<BroadcastSummary> items, int page, int size, long total) {
    }

    /**
     * Broadcasts and drills, newest first, metadata only: every one of the organisation for {@code ADMIN} and
     * {@code SECURITY}, one's own for anyone else. Cost: a read of the organisation's entries in {@code broadcasts}
     * (one small document per broadcast; the embedded database scans them, MongoDB orders them by index).
     */
    @Operation(summary = "List broadcasts and drills, newest first (metadata only)")
    @GetMapping("/api/v1/broadcasts")
    Mono<BroadcastList> list(Caller caller, @RequestParam(required = false) Boolean drill,
            @RequestParam(required = false) String priority, @RequestParam(required = false) String senderId,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequest.of(page, size);
        boolean everything = caller.has(Role.ADMIN) || caller.has(Role.SECURITY);
        String sender = everything ? PageListController.blankToNull(senderId) : caller.userId();
        BroadcastStore.Filter filter = new BroadcastStore.Filter(sender, drill,
                PageRequest.oneOf("priority", priority, PageListController.PRIORITIES));
        return broadcasts.list(caller.orgId(), filter, request).collectList()
                .flatMap(list -> summaries(caller.orgId(), list))
                .zipWith(broadcasts.count(caller.orgId(), filter))
                .map(t -> new BroadcastList(t.getT1(), page, size, t.getT2()));
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
                        b.priority(), b.drill(), b.recipients(), b.choices(), b.sentAt())).toList());
    }

    private static PageStore.Target target(Audience audience) {
        return Boolean.TRUE.equals(audience.all()) ? new PageStore.Target("all", null)
                : audience.roleId() != null ? new PageStore.Target("role", audience.roleId())
                : new PageStore.Target("group", audience.groupId());
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
