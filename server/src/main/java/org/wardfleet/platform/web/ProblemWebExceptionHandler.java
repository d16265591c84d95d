package org.wardfleet.platform.web;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;

/**
 * Every error that leaves a handler or filter, rendered as a problem; runs before Boot's default handler. A client
 * that has gone away gets nothing (there is no one to answer) and is no error: one DEBUG line.
 */
@Component
@Order(-2)
class ProblemWebExceptionHandler implements WebExceptionHandler {

    private final ProblemWriter writer;

    ProblemWebExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (ClientDisconnects.ended(exchange, error)) {
            ClientDisconnects.wentAway(exchange, error);
            return Mono.empty();
        }
        return writer.write(exchange, error);
    }
}
