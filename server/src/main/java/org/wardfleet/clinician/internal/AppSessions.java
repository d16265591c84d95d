package org.wardfleet.clinician.internal;

import java.time.Clock;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.console.sessions.BrowserSessions;
import org.wardfleet.console.sessions.SessionArea;
import org.wardfleet.console.sessions.SessionStore;
import org.wardfleet.identity.SignIns;
import org.wardfleet.platform.tls.TlsProperties;
import org.wardfleet.platform.web.PublicUrl;

/**
 * The app's sessions: cookie {@value #COOKIE} on {@code /app}. The page renews its access token every minute by
 * itself; that renewal counts as the person acting only when the page saw a key, click or tap since the last one
 * ({@code ?active=true}), so an untouched ward PC signs itself out after the idle timeout.
 */
@Component
class AppSessions extends BrowserSessions {

    static final String COOKIE = "wardfleet_app";
    static final String PATH = "/app";
    static final String TOKEN = "/app/session/token";

    AppSessions(SessionStore store, SignIns signIns, AppProperties properties, AuditLog audit, Clock clock,
            TlsProperties tls, PublicUrl publicUrl) {
        super(new SessionArea("app", COOKIE, PATH, properties.idleTimeout(), properties.absoluteTimeout()), store,
                signIns, audit, clock, tls, publicUrl);
    }

    @Override
    protected boolean personActed(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        return !(request.getMethod() == HttpMethod.POST && TOKEN.equals(request.getPath().value()))
                || "true".equals(request.getQueryParams().getFirst("active"));
    }
}
