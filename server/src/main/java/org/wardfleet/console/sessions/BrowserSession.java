package org.wardfleet.console.sessions;

import java.time.Instant;

import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.security.Caller;

/**
 * A signed-in browser, as stored: under the SHA-256 of its cookie value (the database never holds a value that would
 * let a reader take the session over), with the front end it belongs to ({@link SessionArea#name()}), its CSRF token,
 * who signed in how and when, and when it ends: at {@code idleUntil} unless the person acts before, at {@code endsAt}
 * whatever they do.
 */
public record BrowserSession(String id, String area, Caller caller, SignIns.Method method, String csrfToken,
        Instant signedInAt, Instant idleUntil, Instant endsAt) {

    public boolean liveAt(Instant now) {
        return now.isBefore(idleUntil) && now.isBefore(endsAt);
    }

    BrowserSession as(Caller current) {
        return new BrowserSession(id, area, current, method, csrfToken, signedInAt, idleUntil, endsAt);
    }

    @Override
    public String toString() {
        return "BrowserSession[area=" + area + ", user=" + caller.userId() + ", endsAt=" + endsAt + "]";
    }
}
