package org.wardfleet.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.DisconnectedClientHelper;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Hooks;
import reactor.netty.Connection;
import reactor.netty.channel.AbortedException;

/**
 * A client that hangs up (a phone leaving Wi-Fi, a closed app, a reset) or whose body stopped arriving is an everyday
 * event on a hospital network, not a server fault: it is logged as one DEBUG line without a stack trace, where it
 * used to be an ERROR with one for every disconnect. Only failures of the request body's own stream, or errors once
 * the request's connection really is closed, count: a server-side failure that merely looks similar (a database
 * socket reset) is still an error.
 */
@Component
class ClientDisconnects implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ClientDisconnects.class);

    /**
     * True when {@code error} ended this exchange because its client is gone or stopped sending: the request body's
     * own stream failed (see {@link #fromBody}), or a disconnect-like error arrived after the connection closed.
     * Log it with {@link #wentAway}; there is nobody to answer (Reactor Netty closes a timed-out connection itself).
     */
    static boolean ended(ServerWebExchange exchange, Throwable error) {
        return ProblemMapper.causedBy(error, BodyInterrupted.class) || (looksLikeDisconnect(error) && !connected(exchange));
    }

    static void wentAway(ServerWebExchange exchange, Throwable error) {
        Runnable line = () -> log.debug("Client went away (or stopped sending) during {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(), cause(error));
        RequestContext.of(exchange).ifPresentOrElse(ctx -> ctx.log(line), line);
    }

    /**
     * Marks an error of a request body's stream as the client's (a reset, a close, a body read or request timeout):
     * the error signal of that stream comes only from the connection, so a server-side failure that merely looks
     * similar (a database socket reset) is never mistaken for it.
     */
    static Throwable fromBody(Throwable error) {
        return error instanceof BodyInterrupted ? error : new BodyInterrupted(error);
    }

    /** The request body stopped: the client hung up, reset the connection, or stalled past a body timeout. */
    static final class BodyInterrupted extends java.io.IOException {
        BodyInterrupted(Throwable cause) {
            super("Request body interrupted: " + cause, cause);
        }
    }

    private static boolean looksLikeDisconnect(Throwable error) {
        if (DisconnectedClientHelper.isClientDisconnectedException(error)) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof AbortedException || t instanceof ReadTimeoutException
                    || name.equals("RequestTimeoutException") || name.equals("PrematureCloseException")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request's own connection (or HTTP/2 stream) is still open. */
    private static boolean connected(ServerWebExchange exchange) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        return !(nativeRequest instanceof Connection connection) || connection.channel().isActive();
    }

    private static String cause(Throwable error) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * Errors that arrive after their subscriber has gone (a reset racing the end of a request) reach Reactor's global
     * hook, which logs each as an ERROR with a stack trace; disconnects among them become DEBUG lines too.
     */
    @Override
    public void afterSingletonsInstantiated() {
        Hooks.resetOnErrorDropped();
        Hooks.onErrorDropped(error -> {
            if (looksLikeDisconnect(error)) {
                log.debug("Client went away: {}", cause(error));
            } else {
                log.error("An error arrived after its subscriber was gone", error);
            }
        });
    }
}
