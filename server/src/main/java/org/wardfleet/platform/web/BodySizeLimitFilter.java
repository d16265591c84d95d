package org.wardfleet.platform.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses bodies over {@link HttpLimits#maxBodySize()} with 413: at once when {@code Content-Length} says so, and
 * while streaming when a chunked body grows past the limit, whatever the endpoint does with the bytes. Errors of the
 * body stream itself (the client hung up or stalled) are marked as such for {@link ClientDisconnects}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class BodySizeLimitFilter implements WebFilter {

    private final long limit;

    BodySizeLimitFilter(HttpLimits limits) {
        this.limit = limits.maxBodySize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        // WCTP answers every refusal inside the protocol (HTTP 200 + wctp-Failure 301) and reads at most 64 KB itself
        if (declared > limit && !"/wctp".equals(exchange.getRequest().getPath().value())) {
            return Mono.error(tooLarge());
        }
        ServerHttpRequestDecorator limited = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().onErrorMap(ClientDisconnects::fromBody).handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(new DataBufferLimitException("Request body over " + limit + " bytes"));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }

    private static ProblemException tooLarge() {
        return ProblemType.PAYLOAD_TOO_LARGE.exception("The request body exceeds the allowed size");
    }
}
