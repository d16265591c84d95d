package org.wardfleet.console.internal;

import java.time.Duration;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.oncall.Broadcasts;
import org.wardfleet.oncall.PageHistory;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pages: every page of the organisation, 50 at a time, filtered on the server by state, priority, sender and on-call
 * role; and one page's recipients and timeline, kept current live as it escalates and is acknowledged. Metadata only,
 * through {@link PageHistory} (the API's own service): the console never shows a page's text, as the API does not.
 */
@Controller
class PagesListPage {

    static final Duration LIVE_EVERY = Duration.ofSeconds(2);

    private final PageHistory history;
    private final Broadcasts broadcasts;
    private final UserDirectory users;
    private final LiveUpdates live;

    PagesListPage(PageHistory history, Broadcasts broadcasts, UserDirectory users, LiveUpdates live) {
        this.history = history;
        this.broadcasts = broadcasts;
        this.users = users;
        this.live = live;
    }

    @GetMapping("/console/pages")
    Mono<Rendering> list(Caller caller, PagesFilter filter, ServerWebExchange exchange) {
        return Mono.zip(history.list(caller, filter.query(), filter.page(), PagesFilter.PAGE_SIZE),
                        broadcasts.roles(caller), senderName(caller, filter))
                .map(t -> ConsoleViews.page(exchange, "console/pages", "results", "pages")
                        .modelAttribute("filter", filter)
                        .modelAttribute("list", t.getT1())
                        .modelAttribute("roles", t.getT2())
                        .modelAttribute("senderName", t.getT3())
                        .modelAttribute("states", PageHistory.STATES)
                        .modelAttribute("priorities", PageHistory.PRIORITIES)
                        .build());
    }

    @GetMapping("/console/pages/{id}")
    Mono<Rendering> show(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return history.page(caller, id).map(p -> ConsoleViews.page(exchange, "console/pages-detail", null, "pages")
                .modelAttribute("p", p)
                .modelAttribute("version", PagesLiveSince.of(version(p)))
                .modelAttribute("timeline", timeline(p))
                .modelAttribute("recipients", recipients(p))
                .build());
    }

    /** The live part alone (state, recipients, timeline): what the stream asks for when something changed. */
    @GetMapping("/console/pages/{id}/progress")
    Mono<Rendering> progress(Caller caller, @PathVariable String id) {
        return history.page(caller, id).map(p -> Rendering.view("console/pages-detail :: progress")
                .modelAttribute("p", p).modelAttribute("timeline", timeline(p))
                .modelAttribute("recipients", recipients(p)).build());
    }

    @GetMapping(path = "/console/pages/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> live(Caller caller, @PathVariable String id,
            @RequestParam(name = "v", required = false) String rendered, ServerWebExchange exchange) {
        return live.watch(exchange, LIVE_EVERY, PagesLiveSince.from(rendered, () -> history.page(caller, id)
                .map(PagesListPage::version)));
    }

    /** What the live part shows changes exactly when this does. */
    private static List<Object> version(PageHistory.PageView p) {
        return List.of(p.state(), p.step(), p.round(), p.timeline().size(), p.recipients());
    }

    /** A recipient as the page shows them: by name, their receipt's state and since when. */
    record Recipient(String name, String state, java.time.Instant at) {
    }

    private static List<Recipient> recipients(PageHistory.PageView p) {
        return p.recipients().stream().map(r -> new Recipient(r.displayName() == null
                        ? "someone no longer in the directory" : r.displayName(), r.state(),
                        r.at() == null ? null : java.time.Instant.parse(r.at())))
                .sorted(java.util.Comparator.comparing(Recipient::name)).toList();
    }

    /** Newest first, as people read a log. */
    private static List<PagesTimeline> timeline(PageHistory.PageView p) {
        List<PagesTimeline> lines = new java.util.ArrayList<>(p.timeline().stream().map(PagesTimeline::of).toList());
        java.util.Collections.reverse(lines);
        return lines;
    }

    private Mono<String> senderName(Caller caller, PagesFilter filter) {
        return filter.sender() == null ? Mono.just("")
                : users.find(caller.orgId(), filter.sender()).map(ConsoleViews::name).defaultIfEmpty(filter.sender());
    }
}
