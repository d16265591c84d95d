package org.wardfleet.console.internal;

import java.time.Instant;

import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;

/**
 * A signed-in browser, as stored: under the SHA-256 of its cookie value (the database never holds a value that would
 * let a reader take the session over), with its CSRF token, who signed in how and when, and when it ends: at
 * {@code idleUntil} unless the person acts before, at {@code endsAt} whatever they do.
 */
record ConsoleSession(String id, Caller caller, SignIns.Method method, String csrfToken, Instant signedInAt,
        Instant idleUntil, Instant endsAt) {

    boolean liveAt(Instant now) {
        return now.isBefore(idleUntil) && now.isBefore(endsAt);
    }

    ConsoleSession as(Caller current) {
        return new ConsoleSession(id, current, method, csrfToken, signedInAt, idleUntil, endsAt);
    }

    @Override
    public String toString() {
        return "ConsoleSession[user=" + caller.userId() + ", endsAt=" + endsAt + "]";
    }
}
