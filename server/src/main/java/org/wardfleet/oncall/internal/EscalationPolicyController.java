package org.wardfleet.oncall.internal;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.oncall.EscalationPolicies;
import org.wardfleet.oncall.EscalationPolicies.PolicyDraft;
import org.wardfleet.oncall.EscalationPolicies.PolicyPage;
import org.wardfleet.oncall.EscalationPolicies.PolicyView;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

/**
 * Escalation policies over HTTP: who is paged next, after how long, how many rounds. Anyone signed in may read them (a
 * clinician picks one when paging); an {@code ADMIN} writes them. The rules are {@link EscalationPolicies}'.
 */
@RestController
class EscalationPolicyController {

    private final EscalationPolicies policies;

    EscalationPolicyController(EscalationPolicies policies) {
        this.policies = policies;
    }

    @Schema(name = "EscalationPolicyCreated")
    record Created(String id) {
    }

    @Operation(summary = "Create an escalation policy (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The policy")
    @Problems({"403 forbidden"})
    @PostMapping("/api/v1/escalation-policies")
    Mono<ResponseEntity<Created>> create(Caller caller, @Valid @RequestBody PolicyDraft body) {
        return policies.create(caller, body)
                .map(id -> ResponseEntity.created(URI.create("/api/v1/escalation-policies/" + id))
                        .body(new Created(id)));
    }

    /** The organisation's policies by name. Cost: a read of its policies and on-call roles (tens, not thousands). */
    @Operation(summary = "List escalation policies, by name")
    @GetMapping("/api/v1/escalation-policies")
    Mono<PolicyPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return policies.list(caller, page, size);
    }

    @Operation(summary = "An escalation policy, with people and roles named")
    @GetMapping("/api/v1/escalation-policies/{id}")
    Mono<PolicyView> get(Caller caller, @PathVariable String id) {
        return policies.get(caller, id);
    }

    /** Replaces name, repeat and steps ({@code ADMIN}); pages already sent keep the steps they copied. */
    @Operation(summary = "Replace an escalation policy (ADMIN)")
    @Problems({"403 forbidden"})
    @PutMapping("/api/v1/escalation-policies/{id}")
    Mono<PolicyView> replace(Caller caller, @PathVariable String id, @Valid @RequestBody PolicyDraft body) {
        return policies.replace(caller, id, body);
    }

    /**
     * Deletes a policy no on-call role names ({@code ADMIN}); one still named is {@code 409 escalation-policy-in-use}
     * listing the roles.
     */
    @Operation(summary = "Delete an escalation policy no role uses (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @Problems({"403 forbidden", "409 escalation-policy-in-use"})
    @DeleteMapping("/api/v1/escalation-policies/{id}")
    Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable String id) {
        return policies.delete(caller, id).thenReturn(ResponseEntity.noContent().build());
    }
}
