package org.wardfleet.console.internal;

import java.time.Clock;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.audit.AuditTrail;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * Audit: the organisation's audit log, searched and paged on the server, and "verify chain", which re-walks the hash
 * chain (the same check as {@code GET /api/v1/audit/verify}). Both only read, so security staff use them as fully as
 * administrators; verification is a GET for that reason (no form, no CSRF token, nothing changes).
 */
@Controller
class AuditLogPage {

    private final AuditTrail trail;
    private final Clock clock;

    AuditLogPage(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @GetMapping("/console/audit")
    Mono<Rendering> search(Caller caller, AuditFilter filter, ServerWebExchange exchange) {
        return trail.search(caller, filter.search())
                .map(page -> ConsoleViews.page(exchange, "console/audit", "results", "audit")
                        .modelAttribute("filter", filter)
                        .modelAttribute("page", page)
                        .build());
    }

    /** The verification panel with the result: alone for htmx, else the whole page (a browser without script). */
    @GetMapping("/console/audit/verify")
    Mono<Rendering> verify(Caller caller, ServerWebExchange exchange) {
        if (Htmx.request(exchange)) {
            return trail.verify(caller).map(result -> Rendering.view("console/audit :: verification")
                    .modelAttribute("result", result).modelAttribute("checkedAt", clock.instant()).build());
        }
        AuditFilter everything = new AuditFilter(null, null, null, null, null, 0);
        return trail.verify(caller).zipWith(trail.search(caller, everything.search()))
                .map(t -> ConsoleViews.page(exchange, "console/audit", null, "audit")
                        .modelAttribute("result", t.getT1())
                        .modelAttribute("checkedAt", clock.instant())
                        .modelAttribute("filter", everything)
                        .modelAttribute("page", t.getT2())
                        .build());
    }
}
