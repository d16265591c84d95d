package org.wardfleet.console.internal;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;

import reactor.core.publisher.Mono;

/**
 * What every console page knows, whatever controller renders it: the CSRF token (the layout puts it in a meta tag for
 * htmx, and Thymeleaf adds it to every {@code th:action} form), who is signed in ({@code me}) and whether they may
 * change anything ({@code mayChange}: ADMIN; SECURITY sees the same pages without a single button that changes state).
 */
@ControllerAdvice(basePackageClasses = ConsolePages.class)
class ConsolePages {

    private final ConsoleFormat format;

    ConsolePages(java.time.Clock clock) {
        this.format = new ConsoleFormat(clock);
    }

    @ModelAttribute("fmt")
    ConsoleFormat fmt() {
        return format;
    }

    @ModelAttribute(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME)
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token.doOnNext(t -> exchange.getAttributes()
                .put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }

    @ModelAttribute("me")
    Mono<Caller> me() {
        return signedIn();
    }

    @ModelAttribute("mayChange")
    Mono<Boolean> mayChange() {
        return signedIn().map(caller -> caller.has(Role.ADMIN)).defaultIfEmpty(false);
    }

    /** The person signed in on this request, if any. */
    static Mono<Caller> signedIn() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .mapNotNull(a -> a.getPrincipal() instanceof Caller c ? c : null);
    }
}
