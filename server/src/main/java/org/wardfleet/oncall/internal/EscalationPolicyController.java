package org.wardfleet.oncall.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.oncall.OnCallProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Escalation policies: who is paged next, after how long, how many rounds. Anyone signed in may read them (a clinician
 * picks one when paging); an {@code ADMIN} writes them. A page copies its policy's steps when it is sent, so changing
 * or deleting a policy never changes a page already under way.
 */
@RestController
class EscalationPolicyController {

    private final PageStore store;
    private final OnCallStore roles;
    private final References references;
    private final PeopleNames names;
    private final AuditLog audit;

    EscalationPolicyController(PageStore store, OnCallStore roles, References references, PeopleNames names,
            AuditLog audit) {
        this.store = store;
        this.roles = roles;
        this.references = references;
        this.names = names;
        this.audit = audit;
    }

    @Schema(name = "EscalationStep")
    record StepBody(@NotEmpty @Size(max = 20) List<@Valid TargetBody> targets,
            @Min(10) @Max(86400) int waitSeconds) {
    }

    @Schema(name = "EscalationPolicyBody")
    record NewPolicy(@NotBlank @Size(max = 100) String name, @Min(1) @Max(10) int repeat,
            @NotEmpty @Size(max = 10) List<@Valid StepBody> steps) {

        List<PageStore.Step> toSteps() {
            List<PageStore.Step> steps = new ArrayList<>();
            for (StepBody s : steps()) {
                steps.add(new PageStore.Step(s.targets().stream().map(TargetBody::target).toList(), s.waitSeconds()));
            }
            return steps;
        }
    }

    @Schema(name = "EscalationPolicyCreated")
    record Created(String id) {
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

    @Operation(summary = "Create an escalation policy (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The policy")
    @Problems({"403 forbidden"})
    @PostMapping("/api/v1/escalation-policies")
    Mono<ResponseEntity<Created>> create(Caller caller, @Valid @RequestBody NewPolicy body) {
        caller.requireAny(Role.ADMIN);
        List<PageStore.Step> steps = body.toSteps();
        return references.targets(caller.orgId(), steps)
                .then(store.insert(new PageStore.Policy(UUID.randomUUID().toString(), caller.orgId(), body.name(),
                        body.repeat(), steps)))
                .flatMap(p -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "escalation.policy.create", p.id(), Outcome.SUCCESS)).thenReturn(p))
                .map(p -> ResponseEntity.created(URI.create("/api/v1/escalation-policies/" + p.id()))
                        .body(new Created(p.id())));
    }

    /** The organisation's policies by name. Cost: a read of its policies and on-call roles (tens, not thousands). */
    @Operation(summary = "List escalation policies, by name")
    @GetMapping("/api/v1/escalation-policies")
    Mono<PolicyPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequest.of(page, size);
        return store.policies(caller.orgId(), request).collectList()
                .flatMap(policies -> views(caller.orgId(), policies))
                .zipWith(store.countPolicies(caller.orgId()))
                .map(t -> new PolicyPage(t.getT1(), page, size, t.getT2()));
    }

    @Operation(summary = "An escalation policy, with people and roles named")
    @GetMapping("/api/v1/escalation-policies/{id}")
    Mono<PolicyView> get(Caller caller, @PathVariable String id) {
        return policy(caller, id).flatMap(p -> views(caller.orgId(), List.of(p))).map(list -> list.get(0));
    }

    /** Replaces name, repeat and steps ({@code ADMIN}); pages already sent keep the steps they copied. */
    @Operation(summary = "Replace an escalation policy (ADMIN)")
    @Problems({"403 forbidden"})
    @PutMapping("/api/v1/escalation-policies/{id}")
    Mono<PolicyView> replace(Caller caller, @PathVariable String id, @Valid @RequestBody NewPolicy body) {
        caller.requireAny(Role.ADMIN);
        List<PageStore.Step> steps = body.toSteps();
        return policy(caller, id)
                .flatMap(before -> references.targets(caller.orgId(), steps)
                        .then(store.replace(new PageStore.Policy(id, caller.orgId(), body.name(), body.repeat(),
                                steps))))
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(p -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "escalation.policy.change", id, Outcome.SUCCESS)).thenReturn(p))
                .flatMap(p -> views(caller.orgId(), List.of(p))).map(list -> list.get(0));
    }

    /**
     * Deletes a policy no on-call role names ({@code ADMIN}); one still named is {@code 409 escalation-policy-in-use}
     * listing the roles. No transactions: a role pointed at the policy while it is being deleted pages with
     * {@code page-unroutable} until its policy is set again (the role's owners hear of it at the first page).
     */
    @Operation(summary = "Delete an escalation policy no role uses (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @Problems({"403 forbidden", "409 escalation-policy-in-use"})
    @DeleteMapping("/api/v1/escalation-policies/{id}")
    Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN);
        return policy(caller, id)
                .flatMap(p -> usedBy(caller.orgId()).map(used -> used.getOrDefault(id, List.of())))
                .flatMap(users -> users.isEmpty() ? store.deletePolicy(caller.orgId(), id)
                        : Mono.error(OnCallProblems.ESCALATION_POLICY_IN_USE.exception(
                                "On-call roles %s page through this policy: give them another one first",
                                users.stream().map(RoleRef::name).toList())))
                .flatMap(deleted -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "escalation.policy.delete", id, Outcome.SUCCESS)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<PageStore.Policy> policy(Caller caller, String id) {
        return store.policy(caller.orgId(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    private static RuntimeException notFound(String id) {
        return ProblemType.NOT_FOUND.exception("No escalation policy %s", id);
    }

    /** Policy id → the roles naming it: one read of the organisation's roles. */
    private Mono<Map<String, List<RoleRef>>> usedBy(String orgId) {
        return roles.roles(orgId).filter(r -> r.escalationPolicyId() != null)
                .collectMultimap(OnCallStore.Role::escalationPolicyId, r -> new RoleRef(r.id(), r.name()))
                .map(m -> {
                    Map<String, List<RoleRef>> lists = new java.util.HashMap<>();
                    m.forEach((k, v) -> lists.put(k, List.copyOf(v)));
                    return lists;
                });
    }

    private Mono<List<PolicyView>> views(String orgId, List<PageStore.Policy> policies) {
        List<String> people = policies.stream().flatMap(p -> p.steps().stream()).flatMap(s -> s.targets().stream())
                .filter(t -> "user".equals(t.type())).map(PageStore.Target::id).toList();
        return Mono.zip(usedBy(orgId), names.of(orgId, people), roles.roles(orgId)
                        .collectMap(OnCallStore.Role::id, OnCallStore.Role::name))
                .map(t -> policies.stream().map(p -> new PolicyView(p.id(), p.name(), p.repeat(),
                        p.steps().stream().map(s -> new StepView(s.targets().stream()
                                .map(target -> target(target, t.getT2(), t.getT3())).toList(), s.waitSeconds()))
                                .toList(), t.getT1().getOrDefault(p.id(), List.of()))).toList());
    }

    private static TargetView target(PageStore.Target t, Map<String, String> people, Map<String, String> roleNames) {
        return switch (t.type()) {
            case "user" -> new TargetView(t.id(), null, null, people.get(t.id()));
            case "role" -> new TargetView(null, t.id(), null, roleNames.get(t.id()));
            default -> new TargetView(null, null, t.id(), t.id());
        };
    }
}
