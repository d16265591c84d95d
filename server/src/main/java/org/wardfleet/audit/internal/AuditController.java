package org.wardfleet.audit.internal;

import java.time.Instant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditPage;
import org.wardfleet.audit.AuditSearch;
import org.wardfleet.audit.AuditTrail;
import org.wardfleet.audit.ChainVerification;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/** Read-only access to the caller's organisation's audit chain, for IT and security staff. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @Operation(summary = "Search the audit log, paged (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping
    Mono<AuditPage> list(Caller caller, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action, @RequestParam(required = false) String target,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return trail.search(caller, new AuditSearch(actor, action, target, from, to, page, size));
    }

    @Operation(summary = "Verify the organisation's audit hash chain (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/verify")
    Mono<ChainVerification> verify(Caller caller) {
        return trail.verify(caller);
    }
}
