package org.wardfleet.oncall.internal;

import java.util.Collection;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.NamedGroups;
import org.wardfleet.messaging.Recipient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every reference is checked when it is written — a role's owners, participants and escalation policy, an escalation
 * step's users, roles and groups, a cover's user: it must exist in the caller's organisation (another organisation's
 * ids look exactly like missing ones). A refusal is a {@code validation-failed} problem naming the field. What breaks
 * later (a user disabled, a policy gone) is refused, or shown, when the page is sent.
 */
@Component
class References {

    private final UserDirectory users;
    private final OnCallStore roles;
    private final PageStore policies;
    private final NamedGroups paging;

    References(UserDirectory users, OnCallStore roles, PageStore policies, NamedGroups paging) {
        this.users = users;
        this.roles = roles;
        this.policies = policies;
        this.paging = paging;
    }

    /** Each id an active user of the organisation. */
    Mono<Void> activeUsers(String orgId, Collection<String> ids, String path) {
        return Flux.fromIterable(ids).concatMap(u -> users.find(orgId, u).filter(x -> !x.disabled())
                .switchIfEmpty(Mono.error(() -> InputBounds.invalid(path,
                        "no active user " + u + " in your organisation")))).then();
    }

    /** An escalation policy of the organisation (null: none named, nothing to check). */
    Mono<Void> policy(String orgId, String policyId, String path) {
        if (policyId == null) {
            return Mono.empty();
        }
        return policies.policy(orgId, policyId)
                .switchIfEmpty(Mono.error(() -> InputBounds.invalid(path,
                        "no escalation policy " + policyId + " in your organisation")))
                .then();
    }

    /** Every target of every step: an active user, an on-call role or a messaging group with members. */
    Mono<Void> targets(String orgId, List<PageStore.Step> steps) {
        return Flux.range(0, steps.size())
                .concatMap(i -> Flux.range(0, steps.get(i).targets().size())
                        .concatMap(j -> target(orgId, steps.get(i).targets().get(j),
                                "steps[" + i + "].targets[" + j + "]")))
                .then();
    }

    private Mono<Void> target(String orgId, Recipient t, String path) {
        if (t instanceof Recipient.User) {
            return activeUsers(orgId, List.of(t.id()), path + ".userId");
        }
        if (t instanceof Recipient.OnCallRole) {
            return roles.role(orgId, t.id()).switchIfEmpty(Mono.error(() -> InputBounds.invalid(
                    path + ".roleId", "no on-call role " + t.id() + " in your organisation"))).then();
        }
        return paging.groupMembers(orgId, t.id()).filter(members -> !members.isEmpty())
                .switchIfEmpty(Mono.error(() -> InputBounds.invalid(path + ".groupId",
                        "no group " + t.id() + " with members in your organisation"))).then();
    }
}
