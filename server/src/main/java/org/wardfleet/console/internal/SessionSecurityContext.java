package org.wardfleet.console.internal;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.platform.security.CallerAuthentication;

import reactor.core.publisher.Mono;

/** Who is signed in on the console: the person of this browser's live session, as they are now. */
@Component
class SessionSecurityContext implements ServerSecurityContextRepository {

    private final ConsoleSessions sessions;

    SessionSecurityContext(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** Sessions start only in the sign-in handlers ({@link ConsoleSessions#start}), never as a side effect. */
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
