package org.wardfleet.console.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.compliance.DeviceCompliance;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceInventory;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.identity.UserSummary;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.policy.Policies;
import org.wardfleet.policy.PolicyDetail;
import org.wardfleet.policy.PolicyRollouts;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fleet: every device of the organisation, 50 a page, filtered and searched on the server (the list is never loaded
 * whole into the browser). Filters change the list in place (htmx) and the URL with it.
 */
@Controller
class FleetPage {

    private final DeviceInventory inventory;
    private final DeviceCompliance compliance;
    private final UserDirectory users;
    private final Policies policies;
    private final PolicyRollouts rollouts;
    private final Clock clock;

    FleetPage(DeviceInventory inventory, DeviceCompliance compliance, UserDirectory users, Policies policies,
            PolicyRollouts rollouts, Clock clock) {
        this.policies = policies;
        this.rollouts = rollouts;
        this.inventory = inventory;
        this.compliance = compliance;
        this.users = users;
        this.clock = clock;
    }

    /** One line of the list: the device, the name of its person, its compliance now. */
    record Row(Device device, String owner, ComplianceState compliance) {
    }

    @GetMapping("/console/devices")
    Mono<Rendering> list(Caller caller, FleetFilter filter, ServerWebExchange exchange) {
        return only(caller, filter).flatMap(only -> inventory.list(caller,
                        filter.query(clock.instant(), only.orElse(null))))
                .flatMap(page -> rows(caller, page.items()).map(rows -> Map.entry(page, rows)))
                .zipWith(Mono.zip(userChip(caller, filter), policyChip(caller, filter)))
                .map(t -> ConsoleViews.page(exchange, "console/fleet", "results", "fleet")
                        .modelAttribute("filter", filter)
                        .modelAttribute("page", t.getT1().getKey())
                        .modelAttribute("rows", t.getT1().getValue())
                        .modelAttribute("userName", t.getT2().getT1())
                        .modelAttribute("policyName", t.getT2().getT2())
                        .modelAttribute("seenChoices", FleetFilter.SEEN)
                        .modelAttribute("ownerships", Ownership.values())
                        .modelAttribute("states", DeviceState.values())
                        .modelAttribute("compliances", ComplianceState.values())
                        .build());
    }

    /** The device ids the compliance and policy filters leave (both: those in both); empty when neither is set. */
    private Mono<Optional<Set<String>>> only(Caller caller, FleetFilter filter) {
        Mono<Optional<Set<String>>> byCompliance = filter.compliance() == null ? Mono.just(Optional.empty())
                : compliance.devicesIn(caller, filter.compliance()).map(Optional::of);
        Mono<Optional<Set<String>>> byPolicy = filter.policy() == null ? Mono.just(Optional.empty())
                : rollouts.devices(caller, filter.policy(), filter.setting(), filter.result()).map(Optional::of);
        return Mono.zip(byCompliance, byPolicy).map(t -> t.getT1().isEmpty() ? t.getT2() : t.getT2().isEmpty()
                ? t.getT1() : Optional.of(t.getT1().get().stream().filter(t.getT2().get()::contains)
                        .collect(Collectors.toSet())));
    }

    private Mono<String> policyChip(Caller caller, FleetFilter filter) {
        return filter.policy() == null ? Mono.just("")
                : policies.detail(caller, filter.policy()).map(PolicyDetail::name);
    }

    private Mono<List<Row>> rows(Caller caller, List<Device> devices) {
        return Mono.zip(compliance.states(caller, devices), names(caller, devices))
                .map(t -> devices.stream().map(d -> new Row(d, d.assignedUserId() == null ? null
                        : t.getT2().getOrDefault(d.assignedUserId(), d.assignedUserId()),
                        t.getT1().get(d.id()))).toList());
    }

    /** The display names of the page's people, in one read. */
    private Mono<Map<String, String>> names(Caller caller, List<Device> devices) {
        return users.displayNames(caller.orgId(), devices.stream().map(Device::assignedUserId)
                .filter(Objects::nonNull).collect(Collectors.toSet()));
    }

    private Mono<String> userChip(Caller caller, FleetFilter filter) {
        return filter.user() == null ? Mono.just("")
                : users.find(caller.orgId(), filter.user()).map(ConsoleViews::name).defaultIfEmpty(filter.user());
    }
}
