package org.wardfleet.identity;

import java.util.Set;

import org.wardfleet.platform.security.Role;

/** What other features may know of a user. */
public record UserSummary(String id, String orgId, String email, String displayName, Set<Role> roles,
        boolean disabled) {
}
