package org.wardfleet.oncall.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import reactor.core.publisher.Mono;

/**
 * Overrides ("I cover Tuesday night": the newest override covering a moment wins over the rota) and leave (the rota
 * user is away; with nobody overriding, that stretch is a gap). An {@code ADMIN} or the role's owners add, change and
 * delete any of them; a person their own leave. Everyone of the organisation may read them, as they read the schedule.
 */
@RestController
class CoverController {

    private final OnCallStore store;
    private final Covers covers;
    private final PeopleNames names;
    private final Clock clock;

    CoverController(OnCallStore store, Covers covers, PeopleNames names, Clock clock) {
        this.store = store;
        this.covers = covers;
        this.names = names;
        this.clock = clock;
    }

    /** {@code from}/{@code to}: an instant, or a local date-time in the role's zone. */
    record CoverBody(@NotBlank String userId, @NotBlank String from, @NotBlank String to) {
    }

    /** {@code kind}: {@code OVERRIDE} or {@code LEAVE}. */
    record CoverView(String id, String roleId, String kind, String userId, String displayName, Instant from,
            Instant to) {
    }

    record CoverList(String roleId, Instant from, Instant to, List<CoverView> items) {
    }

    @Operation(summary = "Add an override: someone covers the role for a while (ADMIN or owners)")
    @ApiResponse(responseCode = "201", description = "The override")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @PostMapping("/api/v1/oncall/roles/{id}/overrides")
    Mono<ResponseEntity<OnCallController.Created>> override(Caller caller, @PathVariable String id,
            @Valid @RequestBody CoverBody body) {
        return add(caller, id, "OVERRIDE", body);
    }

    @Operation(summary = "Add leave for a rota participant (ADMIN, owners, or the person)")
    @ApiResponse(responseCode = "201", description = "The leave")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @PostMapping("/api/v1/oncall/roles/{id}/leave")
    Mono<ResponseEntity<OnCallController.Created>> leave(Caller caller, @PathVariable String id,
            @Valid @RequestBody CoverBody body) {
        return add(caller, id, "LEAVE", body);
    }

    /** The role's overrides and leave overlapping [from, to) (default: the coming 62 days), oldest decision first. */
    @Operation(summary = "A role's overrides and leave in a window")
    @Problems({"409 rota-unusable"})
    @GetMapping("/api/v1/oncall/roles/{id}/covers")
    Mono<CoverList> list(Caller caller, @PathVariable String id, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to) {
        InputBounds.Window asked = InputBounds.window(from, to, clock.instant(), OnCallController.MAX_WINDOW,
                OnCallController.MAX_WINDOW);
        Instant start = asked.from();
        Instant end = asked.to();
        return role(caller, id)
                .flatMap(role -> store.covers(caller.orgId(), id, start, end).collectList())
                .flatMap(covers -> names.of(caller.orgId(), covers.stream().map(OnCallStore.StoredCover::userId)
                                .toList())
                        .map(named -> new CoverList(id, start, end, covers.stream()
                                .map(c -> view(c, named.get(c.userId()))).toList())));
    }

    @Operation(summary = "An override or leave")
    @Problems({"409 rota-unusable"})
    @GetMapping("/api/v1/oncall/roles/{id}/covers/{coverId}")
    Mono<CoverView> get(Caller caller, @PathVariable String id, @PathVariable String coverId) {
        return role(caller, id).then(cover(caller, id, coverId)).flatMap(c -> named(caller, c));
    }

    /** Another person or other times for an override or leave; it then counts as the newest decision. */
    @Operation(summary = "Change an override or leave (ADMIN, owners, or the person for their leave)")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @PutMapping("/api/v1/oncall/roles/{id}/covers/{coverId}")
    Mono<CoverView> change(Caller caller, @PathVariable String id, @PathVariable String coverId,
            @Valid @RequestBody CoverBody body) {
        return covers.change(caller, id, coverId, body.userId(), body.from(), body.to())
                .flatMap(c -> named(caller, c));
    }

    @Operation(summary = "Delete an override or leave (ADMIN, owners, or the person for their leave)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @Problems({"403 forbidden", "409 rota-unusable"})
    @DeleteMapping("/api/v1/oncall/roles/{id}/covers/{coverId}")
    Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable String id, @PathVariable String coverId) {
        return covers.delete(caller, id, coverId).thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<ResponseEntity<OnCallController.Created>> add(Caller caller, String roleId, String kind,
            CoverBody body) {
        return covers.add(caller, roleId, kind, body.userId(), body.from(), body.to())
                .map(c -> ResponseEntity.created(URI.create("/api/v1/oncall/roles/" + roleId + "/covers/" + c.id()))
                        .body(new OnCallController.Created(c.id())));
    }

    private Mono<OnCallStore.Role> role(Caller caller, String id) {
        return CoverRules.role(store, caller.orgId(), id);
    }

    private Mono<OnCallStore.StoredCover> cover(Caller caller, String roleId, String coverId) {
        return CoverRules.cover(store, caller.orgId(), roleId, coverId);
    }

    private Mono<CoverView> named(Caller caller, OnCallStore.StoredCover c) {
        return names.of(caller.orgId(), List.of(c.userId())).map(n -> view(c, n.get(c.userId())));
    }

    private static CoverView view(OnCallStore.StoredCover c, String name) {
        return new CoverView(c.id(), c.roleId(), c.kind(), c.userId(), name, c.from(), c.to());
    }
}
