package org.wardfleet.platform.security;

import java.util.Arrays;
import java.util.Set;

import org.wardfleet.platform.web.ProblemType;

/**
 * The authenticated user behind a request. Every feature takes its organisation from here, never from the request
 * body, so no query can cross tenants by accident.
 */
public record Caller(String userId, String orgId, String email, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Throws a 403 problem unless the caller holds one of {@code allowed}. */
    public Caller requireAny(Role... allowed) {
        if (Arrays.stream(allowed).noneMatch(roles::contains)) {
            throw ProblemType.FORBIDDEN.exception("This needs one of the roles %s", Arrays.toString(allowed));
        }
        return this;
    }
}
