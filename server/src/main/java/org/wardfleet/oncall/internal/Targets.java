package org.wardfleet.oncall.internal;

import java.util.List;
import java.util.Map;

import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.PageTarget;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;

/** A {@link PageTarget} (JSON: three optional ids) as the {@link Recipient} it names: exactly one of them. */
final class Targets {

    private Targets() {
    }

    /** @param path where the target sits in the request ({@code to}, {@code steps[0].targets[1]}), for the refusal */
    static Recipient of(PageTarget t, String path) {
        String userId = t.userId();
        String roleId = t.roleId();
        String groupId = t.groupId();
        int named = (userId == null ? 0 : 1) + (roleId == null ? 0 : 1) + (groupId == null ? 0 : 1);
        if (named != 1) {
            ProblemException refused = ProblemType.VALIDATION_FAILED.exception(
                    "A target names exactly one of userId, roleId, groupId");
            throw refused.with("errors", List.of(Map.of("path", path, "message",
                    "names exactly one of userId, roleId, groupId")));
        }
        return userId != null ? new Recipient.User(userId)
                : roleId != null ? new Recipient.OnCallRole(roleId) : new Recipient.Group(groupId);
    }
}
