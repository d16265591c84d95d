package org.wardfleet.console.sessions;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.platform.security.CallerAuthentication;

import reactor.core.publisher.Mono;

/** Who is signed in on a front end: the person of this browser's live session there, as they are now. */
public class SessionContext implements ServerSecurityContextRepository {

    private final BrowserSessions sessions;

    public SessionContext(BrowserSessions sessions) {
        this.sessions = sessions;
    }

    /** Sessions start only in the sign-in handlers ({@link BrowserSessions#start}), never as a side effect. */
    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        return Mono.empty();
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        return sessions.current(exchange).map(session -> new SecurityContextImpl(
                new CallerAuthentication(session.caller())));
    }
}
