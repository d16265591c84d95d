package org.wardfleet.console.internal;

import java.time.Clock;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
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

    /**
     * Set by {@code console.js} on what a page fetches by itself (a live panel's refresh after an SSE "changed"): that
     * is not the person acting, so it does not move the idle deadline. Nor does a live stream (re)connecting.
     */
    static final String BACKGROUND = "X-Wardfleet-Background";

    ConsoleSessions(SessionStore store, SignIns signIns, ConsoleProperties properties, AuditLog audit, Clock clock,
            TlsProperties tls, PublicUrl publicUrl) {
        super(new SessionArea("console", COOKIE, "/console", properties.idleTimeout(), properties.absoluteTimeout()),
                store, signIns, audit, clock, tls, publicUrl);
    }

    @Override
    protected boolean personActed(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        return request.getHeaders().getFirst(BACKGROUND) == null && !request.getPath().value().endsWith("/live")
                && !request.getHeaders().getAccept().contains(org.springframework.http.MediaType.TEXT_EVENT_STREAM);
    }
}
