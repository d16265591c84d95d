package org.wardfleet.oncall.internal;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.Paging;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

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

    BroadcastController(Paging paging, UserDirectory users, Coverage coverage, PageIntents intents, Clock clock,
            BroadcastPermission permission) {
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
                .flatMap(people -> intents.broadcast(caller.orgId(), caller.userId(), people, body.text(),
                        body.priority(), body.choices(), Boolean.TRUE.equals(body.drill()), key))
                .map(id -> ResponseEntity.created(URI.create("/api/v1/broadcasts/" + id)).body(new Created(id)));
    }

    record Counts(int recipients, int delivered, int read, int acknowledged) {
    }

    record RollupView(String id, boolean drill, Counts counts, Map<String, Integer> choices, List<String> pending) {
    }

    /** For the sender and any recipient (the incident lead is usually both). */
    @GetMapping("/api/v1/broadcasts/{id}")
    Mono<RollupView> rollup(Caller caller, @PathVariable String id) {
        return paging.rollup(caller.orgId(), id, caller.userId())
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No broadcast %s", id)))
                .map(r -> new RollupView(id, r.drill(), new Counts(r.recipients(), r.delivered(), r.read(),
                        r.acknowledged()), r.choices(), r.pending()));
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
