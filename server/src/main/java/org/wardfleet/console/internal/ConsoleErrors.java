package org.wardfleet.console.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemWriter;
import org.wardfleet.platform.web.RequestContext;

import reactor.core.publisher.Mono;

/**
 * Errors on the console are pages, never JSON: a refused action (a SECURITY session's forged POST, a device retired
 * meanwhile) or a broken request shows what happened and what to do, with the request id to quote to IT. An htmx
 * request gets the message in the page's message area ({@code #flash}) instead of its target. The problem's title and
 * detail are the API's own, so the console says exactly what the API would.
 */
@Component
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
class ConsoleErrors {

    private final ISpringWebFluxTemplateEngine templates;
    private final ProblemWriter problems;

    ConsoleErrors(ISpringWebFluxTemplateEngine templates, ProblemWriter problems) {
        this.templates = templates;
        this.problems = problems;
    }

    @ExceptionHandler(Throwable.class)
    Mono<Void> handle(Throwable error, ServerWebExchange exchange) {
        ProblemException problem = problems.problemOf(exchange, error);
        return render(exchange, problem.getStatusCode(), problem.getBody().getTitle(),
                problem.getBody().getDetail());
    }

    /** For the security chain, which runs before any controller: the same page. */
    Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail) {
        return render(exchange, status, title, detail);
    }

    private Mono<Void> render(ServerWebExchange exchange, HttpStatusCode status, String title, String detail) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        boolean htmx = Htmx.request(exchange);
        Context context = new Context(java.util.Locale.UK, Map.of("status", status.value(), "title", title,
                "detail", detail == null ? "" : detail, "requestId",
                RequestContext.of(exchange).map(RequestContext::requestId).orElse("")));
        String html = templates.process("console/error", Set.of(htmx ? "message" : "page"), context);
        response.setStatusCode(status);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        if (htmx) {
            response.getHeaders().set("HX-Retarget", "#flash");
            response.getHeaders().set("HX-Reswap", "innerHTML");
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(html.getBytes(StandardCharsets.UTF_8))));
    }
}
