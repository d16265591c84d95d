package org.wardfleet.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 problem details. The exception handler, the security entry point and the access-denied handler all
 * use this one writer, so a 401 looks like any other problem.
 */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerWebExchange exchange, Throwable error) {
        ProblemException problem = problemOf(exchange, error);
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        response.setStatusCode(problem.getStatusCode());
        response.getHeaders().putAll(problem.getHeaders());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(body(problem.getBody(), exchange));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /**
     * The problem {@code error} stands for, as {@link #write} would answer it (unexpected errors logged once, with the
     * request id): for a response in another format, such as a console page.
     */
    public ProblemException problemOf(ServerWebExchange exchange, Throwable error) {
        return RequestContext.of(exchange).map(ctx -> {
            ProblemException[] mapped = new ProblemException[1];
            ctx.log(() -> mapped[0] = ProblemMapper.toProblem(error));
            return mapped[0];
        }).orElseGet(() -> ProblemMapper.toProblem(error));
    }

    private static Map<String, Object> body(ProblemDetail problem, ServerWebExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", exchange.getRequest().getPath().value());
        RequestContext.of(exchange).ifPresent(ctx -> body.put("requestId", ctx.requestId()));
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(body::putIfAbsent);
        }
        return body;
    }
}
