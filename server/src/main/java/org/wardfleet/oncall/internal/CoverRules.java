package org.wardfleet.oncall.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** Who may write an override or leave, and the window it may cover: one set of rules for the API and the console. */
final class CoverRules {

    static final Duration MAX_COVER = Duration.ofDays(92);

    private CoverRules() {
    }

    /** The organisation's on-call role, or 404. */
    static Mono<OnCallStore.Role> role(OnCallStore store, String orgId, String id) {
        return store.role(orgId, id)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No on-call role %s", id)));
    }

    /** The role's override or leave, or 404. */
    static Mono<OnCallStore.StoredCover> cover(OnCallStore store, String orgId, String roleId, String coverId) {
        return store.cover(orgId, roleId, coverId).switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND
                .exception("No override or leave %s for this role", coverId)));
    }

    /** {@code ADMIN}, the role's owners, or — for leave — the person themself, before and after the change. */
    static void allowed(Caller caller, OnCallStore.Role role, String kind, String before, String after) {
        boolean self = "LEAVE".equals(kind) && before.equals(caller.userId()) && after.equals(caller.userId());
        if (!caller.has(Role.ADMIN) && !role.owners().contains(caller.userId()) && !self) {
            throw ProblemType.FORBIDDEN.exception("Only ADMIN or the role's owners (or a person for their own leave)");
        }
    }

    /** {@code from}/{@code to}: an instant, or a local date-time in the role's zone; at most 92 days apart. */
    static InputBounds.Window window(String fromText, String toText, OnCallStore.Role role) {
        Instant from = InputBounds.instant("from", OnCallController.instant(fromText, role.zone()));
        Instant to = InputBounds.instant("to", OnCallController.instant(toText, role.zone()));
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_COVER) > 0) {
            throw ProblemType.VALIDATION_FAILED.exception("from must be before to, at most 92 days apart")
                    .with("errors", List.of(Map.of("path", "to", "message", "must be after from, at most 92 days later")));
        }
        return new InputBounds.Window(from, to);
    }
}
