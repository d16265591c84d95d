package org.wardfleet.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.compliance.ComplianceSummary;
import org.wardfleet.compliance.DeviceCompliance;
import org.wardfleet.compliance.PendingEnforcement;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceInventory;
import org.wardfleet.device.DeviceQuery;
import org.wardfleet.events.SecurityEvent;
import org.wardfleet.events.SecurityEventFeed;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Compliance: the organisation's counts now (each a link to the fleet list filtered by that state), the last 30 days
 * as a chart (ECharts, drawn by {@code compliance.js} from {@code /console/compliance/history}), the most common
 * reasons, the enforcement ladder's next steps, and security events as they happen. Everything here only reads, so
 * security staff see exactly what administrators see.
 */
@Controller
class CompliancePage {

    static final int DAYS = 30;
    static final int STEPS_SHOWN = 20;
    static final int EVENTS_SHOWN = 25;
    static final int REASONS_SHOWN = 8;
    static final Duration EVENTS_WITHIN = Duration.ofDays(1);

    private final DeviceCompliance compliance;
    private final DeviceInventory inventory;
    private final SecurityEventFeed events;
    private final LiveUpdates live;
    private final Clock clock;

    CompliancePage(DeviceCompliance compliance, DeviceInventory inventory, SecurityEventFeed events,
            LiveUpdates live, Clock clock) {
        this.clock = clock;
        this.compliance = compliance;
        this.inventory = inventory;
        this.events = events;
        this.live = live;
    }

    /** A reason code and how many devices have it. */
    record ReasonCount(String code, int devices) {
    }

    @GetMapping("/console/compliance")
    Mono<Rendering> page(Caller caller, ServerWebExchange exchange) {
        return Mono.zip(compliance.summary(caller), compliance.pendingEnforcement(caller, STEPS_SHOWN),
                        recentEvents(caller))
                .flatMap(t -> devices(caller, Stream.concat(t.getT2().steps().stream()
                                .map(PendingEnforcement.Step::deviceId), subjects(t.getT3())))
                        .map(devices -> ConsoleViews.page(exchange, "console/compliance", null, "compliance")
                                .modelAttribute("summary", t.getT1())
                                .modelAttribute("states", ComplianceState.values())
                                .modelAttribute("reasons", topReasons(t.getT1()))
                                .modelAttribute("pending", t.getT2())
                                .modelAttribute("now", clock.instant())
                                .modelAttribute("events", t.getT3())
                                .modelAttribute("devices", devices)
                                .modelAttribute("words", ComplianceWords.INSTANCE)
                                .build()));
    }

    /** The counts alone: what the live stream re-fetches. */
    @GetMapping("/console/compliance/counts")
    Mono<Rendering> counts(Caller caller) {
        return compliance.summary(caller).map(summary -> Rendering.view("console/compliance :: counts")
                .modelAttribute("summary", summary).modelAttribute("states", ComplianceState.values())
                .modelAttribute("words", ComplianceWords.INSTANCE).build());
    }

    /** The reasons and the ladder's next steps alone: what the live stream re-fetches. */
    @GetMapping("/console/compliance/plans")
    Mono<Rendering> plans(Caller caller) {
        return Mono.zip(compliance.summary(caller), compliance.pendingEnforcement(caller, STEPS_SHOWN))
                .flatMap(t -> devices(caller, t.getT2().steps().stream().map(PendingEnforcement.Step::deviceId))
                        .map(devices -> Rendering.view("console/compliance :: plans")
                                .modelAttribute("reasons", topReasons(t.getT1()))
                                .modelAttribute("pending", t.getT2())
                                .modelAttribute("now", clock.instant())
                                .modelAttribute("devices", devices)
                                .modelAttribute("words", ComplianceWords.INSTANCE)
                                .build()));
    }

    /** The security events list alone: what the live stream re-fetches. */
    @GetMapping("/console/compliance/events")
    Mono<Rendering> events(Caller caller) {
        return recentEvents(caller).flatMap(list -> devices(caller, subjects(list))
                .map(devices -> Rendering.view("console/compliance :: events").modelAttribute("events", list)
                        .modelAttribute("devices", devices).modelAttribute("words", ComplianceWords.INSTANCE)
                        .build()));
    }

    /** Tells the page a security event happened (so it re-fetches counts and events); ends with the session. */
    @GetMapping(path = "/console/compliance/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> live(Caller caller, ServerWebExchange exchange) {
        return live.follow(exchange, events.follow(caller, Duration.ZERO));
    }

    /** The chart's data: one entry per day, oldest first; a day without a snapshot is null in every series. */
    record History(List<String> days, List<Series> series) {
    }

    record Series(String state, String name, List<Integer> data) {
    }

    @GetMapping(path = "/console/compliance/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Mono<History> history(Caller caller) {
        return compliance.daily(caller, DAYS).map(days -> new History(
                days.stream().map(d -> d.day().toString()).toList(),
                Stream.of(ComplianceState.values()).map(state -> new Series(state.name(),
                        ComplianceWords.INSTANCE.state(state), days.stream().map(d -> d.count(state))
                                .collect(Collectors.toList()))).toList()));
    }

    private Mono<List<SecurityEvent>> recentEvents(Caller caller) {
        return events.recent(caller, EVENTS_WITHIN, EVENTS_SHOWN).collectList();
    }

    private static Stream<String> subjects(List<SecurityEvent> list) {
        return list.stream().map(SecurityEvent::subject);
    }

    /** The named devices of the organisation, by id: one page of the device list limited to those ids. */
    private Mono<Map<String, Device>> devices(Caller caller, Stream<String> ids) {
        Set<String> wanted = ids.filter(id -> id != null && !id.isBlank()).collect(Collectors.toSet());
        if (wanted.isEmpty()) {
            return Mono.just(Map.of());
        }
        return inventory.list(caller, new DeviceQuery(null, null, null, null, null, null, null, null, wanted,
                        DeviceQuery.Sort.ENROLLED, 0, DeviceQuery.MAX_SIZE))
                .map(page -> page.items().stream().collect(Collectors.toMap(Device::id, Function.identity())));
    }

    private static List<ReasonCount> topReasons(ComplianceSummary summary) {
        return summary.byReason().entrySet().stream()
                .map(e -> new ReasonCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(ReasonCount::devices).reversed().thenComparing(ReasonCount::code))
                .limit(REASONS_SHOWN)
                .toList();
    }
}
