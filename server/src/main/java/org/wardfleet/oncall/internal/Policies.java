package org.wardfleet.oncall.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.EscalationPolicies;
import org.wardfleet.oncall.OnCallProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * {@link EscalationPolicies} for the API ({@link EscalationPolicyController}) and the console: one set of rules,
 * audited by {@link AuditedEscalationPolicies}. A page copies its policy's steps when it is sent, so changing or
 * deleting a policy never changes a page already under way.
 */
@Component
class Policies implements EscalationPolicies {

    private final PageStore store;
    private final OnCallStore roles;
    private final References references;
    private final PeopleNames names;

    Policies(PageStore store, OnCallStore roles, References references, PeopleNames names) {
        this.store = store;
        this.roles = roles;
        this.references = references;
        this.names = names;
    }

    /** Cost: a read of the organisation's policies and on-call roles (tens, not thousands). */
    @Override
    public Mono<PolicyPage> list(Caller caller, int page, int size) {
        PageRequest request = PageRequest.of(page, size);
        return store.policies(caller.orgId(), request).collectList()
                .flatMap(policies -> views(caller.orgId(), policies))
                .zipWith(store.countPolicies(caller.orgId()))
                .map(t -> new PolicyPage(t.getT1(), page, size, t.getT2()));
    }

    @Override
    public Mono<PolicyView> get(Caller caller, String id) {
        return policy(caller, id).flatMap(p -> views(caller.orgId(), List.of(p))).map(list -> list.get(0));
    }

    @Override
    public Mono<String> create(Caller caller, PolicyDraft draft) {
        caller.requireAny(Role.ADMIN);
        return Mono.fromCallable(() -> steps(draft))
                .flatMap(steps -> references.targets(caller.orgId(), steps)
                        .then(store.insert(new PageStore.Policy(UUID.randomUUID().toString(), caller.orgId(),
                                draft.name(), draft.repeat(), steps))))
                .map(PageStore.Policy::id);
    }

    @Override
    public Mono<PolicyView> replace(Caller caller, String id, PolicyDraft draft) {
        caller.requireAny(Role.ADMIN);
        return Mono.fromCallable(() -> steps(draft))
                .flatMap(steps -> policy(caller, id)
                        .flatMap(before -> references.targets(caller.orgId(), steps)
                                .then(store.replace(new PageStore.Policy(id, caller.orgId(), draft.name(),
                                        draft.repeat(), steps)))))
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(p -> views(caller.orgId(), List.of(p))).map(list -> list.get(0));
    }

    /**
     * No transactions: a role pointed at the policy while it is being deleted pages with {@code page-unroutable}
     * until its policy is set again (the role's owners hear of it at the first page).
     */
    @Override
    public Mono<Void> delete(Caller caller, String id) {
        caller.requireAny(Role.ADMIN);
        return policy(caller, id)
                .flatMap(p -> usedBy(caller.orgId()).map(used -> used.getOrDefault(id, List.of())))
                .flatMap(users -> users.isEmpty() ? store.deletePolicy(caller.orgId(), id)
                        : Mono.error(OnCallProblems.ESCALATION_POLICY_IN_USE.exception(
                                "On-call roles %s page through this policy: give them another one first",
                                users.stream().map(RoleRef::name).toList())))
                .then();
    }

    private static List<PageStore.Step> steps(PolicyDraft draft) {
        List<PageStore.Step> steps = new ArrayList<>();
        for (int i = 0; i < draft.steps().size(); i++) {
            StepDraft s = draft.steps().get(i);
            List<Recipient> targets = new ArrayList<>();
            for (int j = 0; j < s.targets().size(); j++) {
                targets.add(Targets.of(s.targets().get(j), "steps[" + i + "].targets[" + j + "]"));
            }
            steps.add(new PageStore.Step(targets, s.waitSeconds()));
        }
        return steps;
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
                    Map<String, List<RoleRef>> lists = new HashMap<>();
                    m.forEach((k, v) -> lists.put(k, List.copyOf(v)));
                    return lists;
                });
    }

    private Mono<List<PolicyView>> views(String orgId, List<PageStore.Policy> policies) {
        List<String> people = policies.stream().flatMap(p -> p.steps().stream()).flatMap(s -> s.targets().stream())
                .filter(t -> t instanceof Recipient.User).map(Recipient::id).toList();
        return Mono.zip(usedBy(orgId), names.of(orgId, people), roles.roles(orgId)
                        .collectMap(OnCallStore.Role::id, OnCallStore.Role::name))
                .map(t -> policies.stream().map(p -> new PolicyView(p.id(), p.name(), p.repeat(),
                        p.steps().stream().map(s -> new StepView(s.targets().stream()
                                .map(target -> target(target, t.getT2(), t.getT3())).toList(), s.waitSeconds()))
                                .toList(), t.getT1().getOrDefault(p.id(), List.of()))).toList());
    }

    private static TargetView target(Recipient t, Map<String, String> people, Map<String, String> roleNames) {
        if (t instanceof Recipient.User) {
            return new TargetView(t.id(), null, null, people.get(t.id()));
        }
        if (t instanceof Recipient.OnCallRole) {
            return new TargetView(null, t.id(), null, roleNames.get(t.id()));
        }
        return new TargetView(null, null, t.id(), t.id());
    }
}
