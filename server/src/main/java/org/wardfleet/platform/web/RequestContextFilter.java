package org.wardfleet.platform.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Gives every request an id, echoes it in {@code X-Request-Id}, and puts it in the Reactor context, from where the
 * audit log picks it up. Log statements inside a request use {@link RequestContext#log} to put it in the MDC
 * ({@code %X{requestId}}): automatic thread-local propagation on every operator cost measurable CPU per request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestContextFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        RequestContext context = RequestContext.from(exchange);
        exchange.getAttributes().put(RequestContext.ATTRIBUTE, context);
        exchange.getResponse().getHeaders().set(RequestContext.HEADER, context.requestId());
        return chain.filter(exchange)
                .contextWrite(ctx -> ctx.put(RequestContext.class, context));
    }
}
