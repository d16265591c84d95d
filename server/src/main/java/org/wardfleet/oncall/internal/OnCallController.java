package org.wardfleet.oncall.internal;

import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.oncall.internal.OnCallRoles.NewRole;
import org.wardfleet.oncall.internal.OnCallRoles.RotaBody;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.time.JobFailures;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * On-call roles: rotas, overrides, leave; who is on call now and the schedule with its gaps. Answers give instants in
 * UTC; rota starts (and override/leave times without an offset) are local date-times in the role's zone.
 */
@RestController
class OnCallController {

    static final Duration MAX_WINDOW = Duration.ofDays(62);
    static final Duration GAP_NOTICE = Duration.ofDays(7);

    private final OnCallStore store;
    private final OnCallRoles roles;
    private final Coverage coverage;
    private final UserDirectory users;
    private final Clock clock;
    private final JobFailures failures;
    private final PeopleNames names;

    OnCallController(OnCallStore store, OnCallRoles roles, Coverage coverage, UserDirectory users, Clock clock,
            JobFailures failures, PeopleNames names) {
        this.names = names;
        this.store = store;
        this.roles = roles;
        this.coverage = coverage;
        this.users = users;
        this.clock = clock;
        this.failures = failures;
    }

    @Schema(name = "OnCallCreated")
    record Created(String id) {
    }

    @Operation(summary = "Create an on-call role with its rota (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The role")
    @Problems({"403 forbidden"})
    @PostMapping("/api/v1/oncall/roles")
    Mono<ResponseEntity<Created>> create(Caller caller, @Valid @RequestBody NewRole body) {
        return roles.create(caller, body).map(r -> ResponseEntity.created(URI.create("/api/v1/oncall/roles/" + r.id()))
                .body(new Created(r.id())));
    }

    /** A new rota for the role (ADMIN or the role's owners): participants, start and shift length. */
    @Operation(summary = "Replace a role's rota (ADMIN or the role's owners)")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @org.springframework.web.bind.annotation.PutMapping("/api/v1/oncall/roles/{id}/rota")
    Mono<Created> rota(Caller caller, @PathVariable String id, @Valid @RequestBody RotaBody body) {
        return roles.replaceRota(caller, id, body).map(r -> new Created(r.id()));
    }

    record PolicyBody(@Size(max = 64) String escalationPolicyId) {
    }

    /** The role's escalation policy (ADMIN); null goes back to the defaults by priority. */
    @Operation(summary = "Set or clear a role's escalation policy (ADMIN)")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @org.springframework.web.bind.annotation.PutMapping("/api/v1/oncall/roles/{id}/escalation-policy")
    Mono<Created> escalationPolicy(Caller caller, @PathVariable String id, @Valid @RequestBody PolicyBody body) {
        return roles.escalationPolicy(caller, id, body.escalationPolicyId()).map(r -> new Created(r.id()));
    }

    @Schema(name = "OnCallPerson")
    record UserView(String id, String displayName) {
    }

    record Now(List<UserView> users, Instant shiftStart, Instant shiftEnd, boolean override) {
    }

    /** Who is on call at {@code at} (default now); an empty list is a gap. */
    @Operation(summary = "Who is on call for a role at a moment")
    @Problems({"409 rota-unusable"})
    @GetMapping("/api/v1/oncall/roles/{id}/now")
    Mono<Now> now(Caller caller, @PathVariable String id, @RequestParam(required = false) Instant at) {
        Instant when = at == null ? clock.instant() : InputBounds.instant("at", at);
        return role(caller, id).flatMap(role -> coverage.at(role, when)
                .flatMap(s -> {
                    return Flux.fromIterable(s.userIds()).concatMap(u -> users.find(role.orgId(), u)
                                    .map(x -> new UserView(x.id(), x.displayName())))
                            .collectList().map(list -> new Now(list, s.start(), s.end(), s.override()));
                }));
    }

    record ShiftView(List<String> userIds, Instant start, Instant end, boolean override) {
    }

    record GapView(Instant start, Instant end) {
    }

    record ScheduleView(String roleId, String timeZone, List<ShiftView> shifts, List<GapView> gaps,
            List<String> warnings) {
    }

    @Operation(summary = "A role's shifts and gaps over a window")
    @Problems({"409 rota-unusable"})
    @GetMapping("/api/v1/oncall/roles/{id}/schedule")
    Mono<ScheduleView> schedule(Caller caller, @PathVariable String id, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to) {
        InputBounds.Window window = InputBounds.window(from, to, clock.instant(), GAP_NOTICE, MAX_WINDOW);
        Instant start = window.from();
        Instant end = window.to();
        Instant now = clock.instant();
        return role(caller, id).flatMap(role -> segments(role, start, end).zipWith(segments(role, now,
                        now.plus(GAP_NOTICE)))
                .map(t -> {
                    List<ShiftView> shifts = new ArrayList<>();
                    List<GapView> gaps = new ArrayList<>();
                    for (Schedule.Segment s : t.getT1()) {
                        if (s.userIds().isEmpty()) {
                            gaps.add(new GapView(s.start(), s.end()));
                        } else {
                            shifts.add(new ShiftView(s.userIds(), s.start(), s.end(), s.override()));
                        }
                    }
                    List<String> warnings = t.getT2().stream().filter(s -> s.userIds().isEmpty())
                            .map(s -> "No cover from " + s.start() + " to " + s.end()).toList();
                    return new ScheduleView(role.id(), role.zone().getId(), shifts, gaps, warnings);
                }));
    }

    /** {@code names}: the display name of every owner and participant, by user id. */
    @Schema(name = "OnCallRole")
    record RoleView(String id, String name, String timeZone, List<String> owners, List<String> participants,
            String start, String shift, String escalationPolicyId, java.util.Map<String, String> names) {
    }

    @Operation(summary = "The organisation's on-call roles")
    @GetMapping("/api/v1/oncall/roles")
    Mono<List<RoleView>> roles(Caller caller) {
        return store.roles(caller.orgId()).collectList().flatMap(list -> views(caller.orgId(), list));
    }

    @Operation(summary = "An on-call role")
    @Problems({"409 rota-unusable"})
    @GetMapping("/api/v1/oncall/roles/{id}")
    Mono<RoleView> get(Caller caller, @PathVariable String id) {
        return role(caller, id).flatMap(r -> views(caller.orgId(), List.of(r))).map(list -> list.get(0));
    }

    record OwnersBody(@jakarta.validation.constraints.NotNull @Size(max = 50) List<@NotBlank String> owners) {
    }

    /** Who may change the role's rota, overrides and leave besides an ADMIN ({@code ADMIN}; active users). */
    @Operation(summary = "Replace a role's owners (ADMIN)")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @org.springframework.web.bind.annotation.PutMapping("/api/v1/oncall/roles/{id}/owners")
    Mono<RoleView> owners(Caller caller, @PathVariable String id, @Valid @RequestBody OwnersBody body) {
        return roles.owners(caller, id, body.owners()).flatMap(r -> views(caller.orgId(), List.of(r)))
                .map(list -> list.get(0));
    }

    private Mono<List<RoleView>> views(String orgId, List<OnCallStore.Role> roles) {
        List<String> people = roles.stream().flatMap(r -> java.util.stream.Stream.concat(r.owners().stream(),
                r.rota().participants().stream())).toList();
        return names.of(orgId, people).map(named -> roles.stream().map(r -> {
            java.util.Map<String, String> these = new java.util.LinkedHashMap<>();
            java.util.stream.Stream.concat(r.owners().stream(), r.rota().participants().stream())
                    .filter(named::containsKey).forEach(u -> these.put(u, named.get(u)));
            return new RoleView(r.id(), r.name(), r.zone().getId(), r.owners(), r.rota().participants(),
                    r.rota().start().toString(), r.rota().shift(), r.escalationPolicyId(), these);
        }).toList());
    }

    record MyShift(String roleId, String roleName, Instant start, Instant end) {
    }

    /**
     * The caller's own shifts in the next {@code days} (default 14), across all roles. A role whose rota cannot be
     * computed is left out (logged and counted as {@code wardfleet.jobs.failures{job="oncall-my-shifts"}}): one
     * broken role must not hide everyone's other shifts.
     */
    @Operation(summary = "Your own upcoming shifts across all roles")
    @GetMapping("/api/v1/oncall/me/shifts")
    Mono<List<MyShift>> mine(Caller caller, @RequestParam(defaultValue = "14") int days) {
        Instant now = clock.instant();
        Instant end = now.plus(Duration.ofDays(Math.max(1, Math.min(days, 62))));
        return store.roles(caller.orgId())
                .concatMap(role -> failures.isolateMany("oncall-my-shifts", "role " + role.id(),
                        segments(role, now, end).flatMapIterable(list -> list.stream()
                                .filter(s -> s.userIds().contains(caller.userId()))
                                .map(s -> new MyShift(role.id(), role.name(), s.start(), s.end())).toList())))
                .collectList();
    }

    private Mono<List<Schedule.Segment>> segments(OnCallStore.Role role, Instant from, Instant to) {
        return coverage.segments(role, from, to);
    }

    private Mono<OnCallStore.Role> role(Caller caller, String id) {
        return store.role(caller.orgId(), id)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No on-call role %s", id)));
    }

    /** An instant ("...Z" or with an offset) or a local date-time in the role's zone. */
    static Instant instant(String text, ZoneId zone) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException notInstant) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException notOffset) {
                try {
                    return LocalDateTime.parse(text).atZone(zone).toInstant();
                } catch (DateTimeException e) {
                    throw ProblemType.VALIDATION_FAILED.exception("Not a date-time: %s", text);
                }
            }
        }
    }
}
