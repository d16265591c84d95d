package org.wardfleet.platform.security;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** Lets a controller method declare a {@link Caller} parameter. */
@Component
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
            ServerWebExchange exchange) {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(ctx -> ctx.getAuthentication())
                .filter(CallerAuthentication.class::isInstance)
                .map(auth -> (Object) ((CallerAuthentication) auth).getPrincipal())
                .switchIfEmpty(Mono.error(() -> ProblemType.UNAUTHENTICATED.exception("Sign in first")));
    }
}
