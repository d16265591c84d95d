package org.wardfleet.platform.web;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.micrometer.context.ContextRegistry;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id, echoes it in {@code X-Request-Id}, and puts it in the Reactor context, from where the
 * log MDC ({@code %X{requestId}}) and the audit log pick it up on whatever thread the chain runs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestContextFilter implements WebFilter {

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor("requestId",
                () -> MDC.get("requestId"), id -> MDC.put("requestId", id), () -> MDC.remove("requestId"));
        Hooks.enableAutomaticContextPropagation();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        RequestContext context = RequestContext.from(exchange);
        exchange.getAttributes().put(RequestContext.ATTRIBUTE, context);
        exchange.getResponse().getHeaders().set(RequestContext.HEADER, context.requestId());
        return chain.filter(exchange)
                .contextWrite(ctx -> ctx.put(RequestContext.class, context).put("requestId", context.requestId()));
    }
}
