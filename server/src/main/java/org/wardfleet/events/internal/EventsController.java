package org.wardfleet.events.internal;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.events.SecurityEventFeed;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/v1/events}: the organisation's security events as server-sent events — the recent ones first
 * ({@code sinceMinutes}, default 15), then live as they happen on any instance, with a comment heartbeat so proxies
 * keep the connection open.
 */
@RestController
class EventsController {

    private final SecurityEventFeed feed;

    EventsController(SecurityEventFeed feed) {
        this.feed = feed;
    }

    @Operation(summary = "Security events, live (server-sent events; ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping(value = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Map<String, Object>>> events(Caller caller,
            @RequestParam(defaultValue = "15") int sinceMinutes) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        Flux<ServerSentEvent<Map<String, Object>>> events = feed.follow(caller, Duration.ofMinutes(sinceMinutes))
                .map(e -> ServerSentEvent.<Map<String, Object>>builder(e.wire()).id(e.id()).event(e.type()).build());
        Flux<ServerSentEvent<Map<String, Object>>> heartbeat = Flux.interval(Duration.ofSeconds(15))
                .map(i -> ServerSentEvent.<Map<String, Object>>builder().comment("heartbeat").build());
        // a first comment commits the response at once, so clients see the stream open before any event
        ServerSentEvent<Map<String, Object>> open = ServerSentEvent.<Map<String, Object>>builder()
                .comment("connected").build();
        return Flux.concat(Flux.just(open), Flux.merge(events, heartbeat));
    }
}
