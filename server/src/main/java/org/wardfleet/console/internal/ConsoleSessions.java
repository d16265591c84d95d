package org.wardfleet.console.internal;

import java.time.Clock;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.console.sessions.BrowserSessions;
import org.wardfleet.console.sessions.SessionArea;
import org.wardfleet.console.sessions.SessionStore;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.tls.TlsProperties;
import org.wardfleet.platform.web.PublicUrl;

/** The console's sessions: cookie {@value #COOKIE} on {@code /console}, timeouts from {@link ConsoleProperties}. */
@Component
class ConsoleSessions extends BrowserSessions {

    static final String COOKIE = "wardfleet_console";

    ConsoleSessions(SessionStore store, SignIns signIns, ConsoleProperties properties, AuditLog audit, Clock clock,
            TlsProperties tls, PublicUrl publicUrl) {
        super(new SessionArea("console", COOKIE, "/console", properties.idleTimeout(), properties.absoluteTimeout()),
                store, signIns, audit, clock, tls, publicUrl);
    }
}
