package org.wardfleet.oncall;

import java.util.List;

import org.wardfleet.platform.security.Caller;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Escalation policies: who is paged next, after how long, how many rounds; for {@code /api/v1/escalation-policies} and
 * the console alike. Anyone signed in reads them; an {@code ADMIN} writes them. A draft's own constraints are checked
 * by its caller (bean validation, as the API's {@code @Valid}); every target is checked here: it must exist in the
 * caller's organisation, or the refusal is a {@code validation-failed} problem whose {@code errors[].path} names it
 * ({@code steps[0].targets[1].userId}).
 */
public interface EscalationPolicies {

    /** The organisation's policies by name, a page at a time. */
    Mono<PolicyPage> list(Caller caller, int page, int size);

    Mono<PolicyView> get(Caller caller, String id);

    /** Returns the new policy's id. */
    Mono<String> create(Caller caller, PolicyDraft draft);

    /** New name, repeat and steps; pages already sent keep the steps they copied. */
    Mono<PolicyView> replace(Caller caller, String id, PolicyDraft draft);

    /** Deletes a policy no on-call role names ({@code escalation-policy-in-use} otherwise). */
    Mono<Void> delete(Caller caller, String id);

    @Schema(name = "EscalationPolicyBody")
    record PolicyDraft(@NotBlank @Size(max = 100) String name, @Min(1) @Max(10) int repeat,
            @NotEmpty @Size(max = 10) List<@Valid StepDraft> steps) {
    }

    @Schema(name = "EscalationStep")
    record StepDraft(@NotEmpty @Size(max = 20) List<@Valid PageTarget> targets, @Min(10) @Max(86400) int waitSeconds) {
    }

    /** A step target with the name of whom it names (a person's display name, a role's name). */
    record TargetView(String userId, String roleId, String groupId, String name) {
    }

    record StepView(List<TargetView> targets, int waitSeconds) {
    }

    record RoleRef(String id, String name) {
    }

    /** {@code usedBy}: the on-call roles that page through it. */
    record PolicyView(String id, String name, int repeat, List<StepView> steps, List<RoleRef> usedBy) {
    }

    record PolicyPage(List<PolicyView> items, int page, int size, long total) {
    }
}
