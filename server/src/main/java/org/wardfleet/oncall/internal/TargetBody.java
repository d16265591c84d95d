package org.wardfleet.oncall.internal;

import org.wardfleet.platform.web.ProblemType;

import io.swagger.v3.oas.annotations.media.Schema;

/** Whom a page or an escalation step goes to: exactly one of a user, an on-call role, a messaging group. */
@Schema(name = "PageTarget")
record TargetBody(String userId, String roleId, String groupId) {

    PageStore.Target target() {
        int named = (userId == null ? 0 : 1) + (roleId == null ? 0 : 1) + (groupId == null ? 0 : 1);
        if (named != 1) {
            throw ProblemType.VALIDATION_FAILED.exception("A target names exactly one of userId, roleId, groupId");
        }
        return userId != null ? new PageStore.Target("user", userId)
                : roleId != null ? new PageStore.Target("role", roleId) : new PageStore.Target("group", groupId);
    }
}
