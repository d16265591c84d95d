package org.wardfleet.platform.web;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Who asked and from where, for logs and the audit trail: a request id (the client's {@code X-Request-Id} if it is
 * well formed, otherwise a new one) and the source address.
 */
public record RequestContext(String requestId, String sourceAddress) {

    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = RequestContext.class.getName();
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    public static final RequestContext SYSTEM = new RequestContext("system", "local");

    static RequestContext from(ServerWebExchange exchange) {
        String offered = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = offered != null && CLIENT_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String source = remote == null ? "unknown"
                : remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
        return new RequestContext(id, source);
    }

    public static Optional<RequestContext> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    /** The current request's context inside a reactive chain, or {@link #SYSTEM} for background work. */
    public static Mono<RequestContext> current() {
        return Mono.deferContextual(ctx -> Mono.just(of(ctx)));
    }

    public static RequestContext of(ContextView ctx) {
        return ctx.getOrDefault(RequestContext.class, SYSTEM);
    }

    /** Runs a log statement with this request's id in the MDC, whatever thread the chain is on. */
    public void log(Runnable statement) {
        try (org.slf4j.MDC.MDCCloseable id = org.slf4j.MDC.putCloseable("requestId", requestId)) {
            statement.run();
        }
    }
}
