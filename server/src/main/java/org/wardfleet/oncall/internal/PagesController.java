package org.wardfleet.oncall.internal;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.messaging.PageReceipts;
import org.wardfleet.messaging.PageState;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.PriorityWord;
import org.wardfleet.oncall.PageHistory;
import org.wardfleet.oncall.PageTarget;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Pages (their policies: {@link EscalationPolicyController}; lists: {@link PageListController}). A page's id is its
 * message's id: devices take it through the messaging API.
 */
@RestController
class PagesController {

    private final PageIntents intents;
    private final PageStore store;
    private final PageReceipts paging;
    private final AuditLog audit;
    private final java.time.Clock clock;
    private final PageHistory history;

    PagesController(PageIntents intents, PageStore store, PageReceipts paging, AuditLog audit, java.time.Clock clock,
            PageHistory history) {
        this.intents = intents;
        this.store = store;
        this.paging = paging;
        this.audit = audit;
        this.clock = clock;
        this.history = history;
    }

    record NewPage(@NotNull @Valid PageTarget to, @NotNull @Size(min = 1, max = 4096) String text,
            @NotNull @PriorityWord String priority, @Size(max = 64) String escalationPolicyId) {
    }

    /** {@code state}: the page's {@link PageState}, as its word. */
    record PageCreated(String id, PageState state) {
    }

    @Operation(summary = "Page a person, an on-call role or a group: it escalates until acknowledged")
    @ApiResponse(responseCode = "201", description = "The page")
    @Problems({"403 forbidden", "400 idempotency-key-required", "409 page-unroutable", "409 rota-unusable",
            "400 conversation-invalid"})
    @PostMapping("/api/v1/pages")
    Mono<ResponseEntity<PageCreated>> page(Caller caller,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody NewPage body) {
        Priority priority = Priority.parse(body.priority(), "priority");
        caller.requireAny(Role.CLINICIAN, Role.ADMIN);
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 128) {
            return Mono.error(org.wardfleet.messaging.MessagingProblems.IDEMPOTENCY_KEY_REQUIRED.exception(
                    "Send an Idempotency-Key (1-128 characters) so a retried request never pages twice"));
        }
        return intents.trigger(caller.orgId(), caller.userId(), Targets.of(body.to(), "to"), body.text(),
                        priority, body.escalationPolicyId(), List.of(), idempotencyKey)
                // never an empty 2xx: a page either exists or its refusal says why (a bug otherwise: 500, logged)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Page trigger completed without a page")))
                .map(p -> ResponseEntity.created(URI.create("/api/v1/pages/" + p.id()))
                        .body(new PageCreated(p.id(), p.state())));
    }

    /**
     * The page's state and timeline: for its sender and recipients, and — metadata only, as the text lives in the
     * message — for ADMIN and SECURITY. Anyone else: 404.
     */
    @Operation(summary = "A page: state, recipients and timeline, people named (no text)")
    @GetMapping("/api/v1/pages/{id}")
    Mono<PageHistory.PageView> get(Caller caller, @PathVariable String id) {
        return history.page(caller, id);
    }

    /** Closes the page (its sender or an ADMIN): no further steps or re-alerts. */
    @Operation(summary = "Resolve a page: no further steps (its sender or ADMIN)")
    @PostMapping("/api/v1/pages/{id}/resolve")
    Mono<PageCreated> resolve(Caller caller, @PathVariable String id) {
        return store.page(caller.orgId(), id)
                .filter(p -> p.senderId().equals(caller.userId()) || caller.has(Role.ADMIN))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No page %s", id)))
                .flatMap(p -> store.resolved(caller.orgId(), id, caller.userId(), clock.instant())
                        .flatMap(done -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                                "page.resolve", id, done ? Outcome.SUCCESS : Outcome.FAILURE)))
                        .then(store.page(caller.orgId(), id)))
                .map(p -> new PageCreated(p.id(), p.state()));
    }

    @Operation(summary = "Acknowledge a page as the calling user")
    @Problems({"409 receipt-invalid"})
    @PostMapping("/api/v1/pages/{id}/acknowledge")
    Mono<PageCreated> acknowledge(Caller caller, @PathVariable String id) {
        return store.page(caller.orgId(), id)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No page %s", id)))
                .flatMap(p -> paging.acknowledge(caller.orgId(), id, caller.userId())
                        .then(store.acknowledged(caller.orgId(), id, caller.userId(), clock.instant()))
                        .then(store.page(caller.orgId(), id)))
                .map(p -> new PageCreated(p.id(), p.state()));
    }
}
