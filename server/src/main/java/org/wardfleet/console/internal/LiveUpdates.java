package org.wardfleet.console.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one way a console page stays current without reloading: a server-sent event stream that says only that
 * something changed; the page then fetches the changed part through its normal htmx request (same rendering, same
 * CSRF token, same checks). On the page:
 * <pre>{@code
 * <div hx-ext="sse" sse-connect="/console/devices/ID/live">
 *   <section id="actions" hx-get="/console/devices/ID/actions" hx-trigger="sse:changed" hx-swap="outerHTML">
 * }</pre>
 * The stream watches a version (any value that differs when what the part shows differs), sends {@code changed} when it
 * moves, a comment every 15 s so proxies keep the connection, and ends when the session ends (idle, absolute,
 * signed out), so an open tab does not outlive its session. The browser's EventSource reconnects by itself.
 */
@Component
class LiveUpdates {

    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final Duration SETTLE = Duration.ofSeconds(1);
    static final Duration SESSION_CHECK = Duration.ofSeconds(5);

    private final ConsoleSessions sessions;

    LiveUpdates(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** Checks {@code version} every {@code every}; see the class comment. */
    Flux<ServerSentEvent<String>> watch(ServerWebExchange exchange, Duration every, Supplier<Mono<?>> version) {
        return sessions.current(exchange).flatMapMany(session -> {
            Object[] last = {null};
            Flux<ServerSentEvent<String>> changes = Flux.interval(Duration.ZERO, every)
                    .onBackpressureDrop()
                    .concatMap(tick -> sessions.stillLive(session.id())
                            .flatMap(live -> live ? version.get().map(v -> (Object) v).defaultIfEmpty("")
                                    : Mono.error(new SessionEnded())))
                    .filter(v -> {
                        boolean first = last[0] == null;
                        boolean moved = !first && !Objects.equals(last[0], v);
                        last[0] = v;
                        return moved;
                    })
                    .map(v -> ServerSentEvent.builder("changed").event("changed").build());
            Flux<ServerSentEvent<String>> heartbeat = Flux.interval(HEARTBEAT, HEARTBEAT)
                    .map(tick -> ServerSentEvent.<String>builder().comment("keep-alive").build());
            return Flux.merge(changes, heartbeat)
                    .onErrorResume(SessionEnded.class, ended -> Flux.just(
                            ServerSentEvent.builder("ended").event("ended").build()));
        });
    }

    /**
     * Sends {@code changed} when {@code changes} emits (at most once per {@link #SETTLE}: a burst of changes is one
     * re-fetch), with the same heartbeat, and {@code ended} then completes when the session ends (checked every
     * {@link #SESSION_CHECK}). For parts that change on an event (a new security event) rather than a polled version.
     */
    Flux<ServerSentEvent<String>> follow(ServerWebExchange exchange, Flux<?> changes) {
        return sessions.current(exchange).flatMapMany(session -> {
            Flux<ServerSentEvent<String>> changed = changes.sample(SETTLE)
                    .map(c -> ServerSentEvent.builder("changed").event("changed").build());
            Flux<ServerSentEvent<String>> heartbeat = Flux.interval(HEARTBEAT, HEARTBEAT)
                    .map(tick -> ServerSentEvent.<String>builder().comment("keep-alive").build());
            Flux<ServerSentEvent<String>> ended = Flux.interval(SESSION_CHECK, SESSION_CHECK)
                    .onBackpressureDrop()
                    .concatMap(tick -> sessions.stillLive(session.id()))
                    .filter(live -> !live)
                    .next()
                    .map(gone -> ServerSentEvent.builder("ended").event("ended").build())
                    .flux();
            return Flux.merge(changed, heartbeat, ended).takeUntil(e -> "ended".equals(e.event()));
        });
    }

    private static final class SessionEnded extends RuntimeException {
        SessionEnded() {
            super("session ended", null, false, false);
        }
    }
}
