package org.wardfleet.oncall;

import io.swagger.v3.oas.annotations.media.Schema;

/** Whom a page or an escalation step goes to: exactly one of a user, an on-call role, a messaging group. */
@Schema(name = "PageTarget")
public record PageTarget(String userId, String roleId, String groupId) {
}
