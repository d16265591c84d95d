package org.wardfleet.identity.internal;

import java.time.Instant;
import java.util.Set;

import org.wardfleet.identity.UserSummary;
import org.wardfleet.platform.security.Role;

/** A user as stored. {@code passwordHash} is null for users who sign in only through the identity provider. */
record StoredUser(String id, String orgId, String email, String displayName, Set<Role> roles, String passwordHash,
        boolean disabled, Instant createdAt, Instant tokensValidAfter) {

    UserSummary summary() {
        return new UserSummary(id, orgId, email, displayName, roles, disabled);
    }
}
