package org.wardfleet.platform.security;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** Lets a controller method declare a {@link Caller} (a user) or a {@link DevicePrincipal} (a device) parameter. */
@Component
class PrincipalArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class || parameter.getParameterType() == DevicePrincipal.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
            ServerWebExchange exchange) {
        Class<?> wanted = parameter.getParameterType();
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .mapNotNull(Authentication::getPrincipal)
                .filter(wanted::isInstance)
                .map(principal -> (Object) principal)
                .switchIfEmpty(Mono.error(() -> ProblemType.UNAUTHENTICATED.exception(
                        wanted == Caller.class ? "Sign in first" : "A device credential is required")));
    }
}
