package org.wardfleet.console.internal;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/** The few htmx request and response headers the console relies on (https://htmx.org/reference/#headers). */
final class Htmx {

    private Htmx() {
    }

    /** A request htmx made (a partial update), as opposed to a page the browser navigated to. */
    static boolean request(ServerWebExchange exchange) {
        return "true".equals(exchange.getRequest().getHeaders().getFirst("HX-Request"));
    }

    /** An htmx request that will swap its answer into the element with this id. */
    static boolean targets(ServerWebExchange exchange, String id) {
        return request(exchange) && id.equals(exchange.getRequest().getHeaders().getFirst("HX-Target"));
    }

    /**
     * Sends the browser to {@code location}: a 303 for a page, {@code HX-Redirect} for an htmx request (whose XHR
     * would otherwise follow the redirect and swap a whole page into a corner of this one).
     */
    static Mono<Void> redirect(ServerWebExchange exchange, String location) {
        var response = exchange.getResponse();
        if (request(exchange)) {
            response.setStatusCode(HttpStatus.NO_CONTENT);
            response.getHeaders().set("HX-Redirect", location);
        } else {
            response.setStatusCode(HttpStatus.SEE_OTHER);
            response.getHeaders().setLocation(URI.create(location));
        }
        return response.setComplete();
    }
}
