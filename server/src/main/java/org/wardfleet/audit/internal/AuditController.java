package org.wardfleet.audit.internal;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEntry;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/** Read-only access to the caller's organisation's audit chain, for IT and security staff. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditRepository repository;
    private final AuditVerifier verifier;

    AuditController(AuditRepository repository, AuditVerifier verifier) {
        this.repository = repository;
        this.verifier = verifier;
    }

    record AuditPage(List<AuditEntry> items, int page, int size, long total) {
    }

    @Operation(summary = "Search the audit log, paged (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping
    Mono<AuditPage> list(Caller caller, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        if (page < 0 || size < 1 || size > AuditQuery.MAX_SIZE) {
            throw ProblemType.VALIDATION_FAILED.exception("page must be >= 0 and size 1..%d", AuditQuery.MAX_SIZE);
        }
        AuditQuery query = new AuditQuery(actor, action, from, to, page, size);
        return repository.page(caller.orgId(), query).collectList()
                .zipWith(repository.count(caller.orgId(), query))
                .map(t -> new AuditPage(t.getT1(), page, size, t.getT2()));
    }

    @Operation(summary = "Verify the organisation's audit hash chain (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/verify")
    Mono<AuditVerifier.Verification> verify(Caller caller) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return verifier.verify(caller.orgId());
    }
}
