package org.wardfleet.oncall.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

/** Who may write an override or leave, and the window it may cover: one set of rules for the API and the console. */
final class CoverRules {

    static final Duration MAX_COVER = Duration.ofDays(92);

    private CoverRules() {
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
