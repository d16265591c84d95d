package org.wardfleet.console.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.console.sessions.SessionContext;

/** Who is signed in on the console (see {@link SessionContext}). */
@Component
class SessionSecurityContext extends SessionContext {

    SessionSecurityContext(ConsoleSessions sessions) {
        super(sessions);
    }
}
