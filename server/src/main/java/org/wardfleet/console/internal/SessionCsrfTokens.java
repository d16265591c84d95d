package org.wardfleet.console.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.console.sessions.SessionCsrf;

/** The console's CSRF tokens (see {@link SessionCsrf}). */
@Component
class SessionCsrfTokens extends SessionCsrf {

    static final String SIGN_IN_COOKIE = ConsoleSessions.COOKIE + "_csrf";

    SessionCsrfTokens(ConsoleSessions sessions) {
        super(sessions);
    }
}
