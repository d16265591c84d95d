package org.wardfleet.console.sessions;

import java.time.Duration;

/**
 * One web front end's sessions: the cookie (scoped to {@code path}, so a session of one front end is never sent to
 * another), the name stored with each session (a cookie copied to another front end's name is refused), and when its
 * sessions end: {@code idleTimeout} after the person's last request, {@code absoluteTimeout} after sign-in.
 */
public record SessionArea(String name, String cookie, String path, Duration idleTimeout, Duration absoluteTimeout) {

    public SessionArea {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0
                || absoluteTimeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("wardfleet." + name + ".idle-timeout must be positive and at most "
                    + "absolute-timeout, which must be at most 24h");
        }
    }

    /** The cookie that holds the sign-in form's CSRF token before there is a session. */
    public String signInCsrfCookie() {
        return cookie + "_csrf";
    }
}
