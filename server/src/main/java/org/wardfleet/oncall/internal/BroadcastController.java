package org.wardfleet.oncall.internal;

import java.net.URI;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.oncall.Broadcasts;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

/**
 * Mass notification: a broadcast to everybody, to whoever is on call for a role now, or to a group — with optional
 * answers ("available / not available") and a live roll-up. A drill is shown as a drill on every device and its
 * roll-up is kept like any other.
 */
@RestController
class BroadcastController {

    private final Broadcasts broadcasts;

    BroadcastController(Broadcasts broadcasts) {
        this.broadcasts = broadcasts;
    }

    @Operation(summary = "Broadcast (or drill) to everyone, an on-call role or a group")
    @ApiResponse(responseCode = "201", description = "The broadcast")
    @Problems({"403 forbidden", "403 broadcast-forbidden", "400 conversation-invalid", "409 rota-unusable"})
    @PostMapping("/api/v1/broadcasts")
    Mono<ResponseEntity<Created>> broadcast(Caller caller,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody Broadcasts.NewBroadcast body) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? "broadcast-" + UUID.randomUUID()
                : idempotencyKey;
        return broadcasts.send(caller, body, key)
                .map(id -> ResponseEntity.created(URI.create("/api/v1/broadcasts/" + id)).body(new Created(id)));
    }

    record Created(String id) {
    }

    /**
     * The live roll-up: for the sender and any recipient (the incident lead is usually both), and — counts and people,
     * never text — for {@code ADMIN} and {@code SECURITY}, of any broadcast in the broadcast list.
     */
    @Operation(summary = "A broadcast's live roll-up: counts, choices, who has not answered")
    @GetMapping("/api/v1/broadcasts/{id}")
    Mono<Broadcasts.RollupView> rollup(Caller caller, @PathVariable String id) {
        return broadcasts.rollup(caller, id);
    }

    /**
     * Broadcasts and drills, newest first, metadata only: every one of the organisation for {@code ADMIN} and
     * {@code SECURITY}, one's own for anyone else.
     */
    @Operation(summary = "List broadcasts and drills, newest first (metadata only)")
    @GetMapping("/api/v1/broadcasts")
    Mono<Broadcasts.BroadcastList> list(Caller caller, @RequestParam(required = false) Boolean drill,
            @RequestParam(required = false) String priority, @RequestParam(required = false) String senderId,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return broadcasts.list(caller, new Broadcasts.Filter(drill, priority, senderId), page, size);
    }
}
