package org.wardfleet.console.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.compliance.DeviceCompliance;
import org.wardfleet.device.ActionType;
import org.wardfleet.device.Device;
import org.wardfleet.device.DeviceDetail;
import org.wardfleet.device.DeviceInventory;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.policy.DevicePolicies;
import org.wardfleet.policy.EffectivePolicy;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One device: what it is, its certificate, its compliance and latest report, its effective policy with where each
 * value came from, its remote actions (kept current live) and its timeline; and, for ADMIN, the remote actions, each
 * behind a confirmation that names the device and its person. Every read and action goes through the features' own
 * services with the signed-in person, so roles, tenancy and audit are the API's.
 */
@Controller
class DeviceDetailPage {

    static final Duration LIVE_EVERY = Duration.ofSeconds(2);

    private final DeviceInventory inventory;
    private final DeviceCompliance compliance;
    private final DevicePolicies policies;
    private final UserDirectory users;
    private final LiveUpdates live;

    DeviceDetailPage(DeviceInventory inventory, DeviceCompliance compliance, DevicePolicies policies,
            UserDirectory users, LiveUpdates live) {
        this.inventory = inventory;
        this.compliance = compliance;
        this.policies = policies;
        this.users = users;
        this.live = live;
    }

    @GetMapping("/console/devices/{id}")
    Mono<Rendering> show(Caller caller, @PathVariable String id, @RequestParam(required = false) ActionType done,
            ServerWebExchange exchange) {
        return inventory.detail(caller, id)
                .flatMap(detail -> Mono.zip(owner(caller, detail.device()), compliance.history(caller, id),
                                policies.effective(caller, id).map(Optional::of).defaultIfEmpty(Optional.empty()))
                        .map(t -> ConsoleViews.page(exchange, "console/device", null, "fleet")
                                .modelAttribute("detail", detail)
                                .modelAttribute("device", detail.device())
                                .modelAttribute("owner", t.getT1())
                                .modelAttribute("compliance", t.getT2())
                                .modelAttribute("latest", Optional.ofNullable(t.getT2().latest()))
                                .modelAttribute("policy", t.getT3())
                                .modelAttribute("settings", t.getT3().map(DeviceDetailPage::settings).orElse(List.of()))
                                .modelAttribute("offered", offered(caller, detail.device()))
                                .modelAttribute("done", done == null ? "" : done.name())
                                .build()));
    }

    /** The remote actions panel alone: what the live stream asks for when something changed. */
    @GetMapping("/console/devices/{id}/actions")
    Mono<Rendering> actions(Caller caller, @PathVariable String id) {
        return inventory.detail(caller, id).map(detail -> Rendering.view("console/device :: actions")
                .modelAttribute("detail", detail).modelAttribute("device", detail.device()).build());
    }

    @GetMapping(path = "/console/devices/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> live(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return live.watch(exchange, LIVE_EVERY, () -> inventory.detail(caller, id)
                .map(d -> List.of(d.device().state(), d.certificateStatus(), d.actions())));
    }

    /** "Are you sure?" for one action, naming the device and its person. */
    @GetMapping("/console/devices/{id}/confirm")
    Mono<Rendering> confirm(Caller caller, @PathVariable String id, @RequestParam ActionType action,
            ServerWebExchange exchange) {
        return inventory.detail(caller, id).zipWhen(detail -> owner(caller, detail.device()))
                .map(t -> confirmation(t.getT1(), t.getT2(), action))
                .map(c -> Htmx.request(exchange) ? Rendering.view("console/confirm :: confirm")
                        .modelAttribute("c", c).build()
                        : ConsoleViews.page(exchange, "console/confirm", null, "fleet").modelAttribute("c", c)
                                .build());
    }

    /** The confirmation's form (WebFlux binds form fields to a record, not to {@code @RequestParam}). */
    record ActionForm(ActionType type) {
    }

    /** The confirmed action; refused by the device service for anyone but ADMIN (and audited like the API's). */
    @PostMapping("/console/devices/{id}/actions")
    Mono<Rendering> act(Caller caller, @PathVariable String id, ActionForm form) {
        if (form.type() == null) {
            return Mono.error(org.wardfleet.platform.web.ProblemType.VALIDATION_FAILED.exception("No action chosen"));
        }
        return inventory.act(caller, id, form.type())
                .thenReturn(Rendering.redirectTo("/console/devices/" + id + "?done=" + form.type().name()).build());
    }

    private Mono<String> owner(Caller caller, Device device) {
        return device.assignedUserId() == null ? Mono.just("")
                : users.find(caller.orgId(), device.assignedUserId()).map(ConsoleViews::name)
                        .defaultIfEmpty(device.assignedUserId());
    }

    /** The buttons: none for SECURITY; for ADMIN what the device service offers for this device (BYOD: no wipe). */
    private static List<ActionType> offered(Caller caller, Device device) {
        return caller.has(Role.ADMIN) ? DeviceInventory.offered(device) : List.of();
    }

    private static Confirmation confirmation(DeviceDetail detail, String owner, ActionType action) {
        Device d = detail.device();
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"Device", (d.model() == null ? "Device" : d.model()) + " · " + d.platform().wire()
                + " " + (d.osVersion() == null ? "" : d.osVersion())});
        facts.add(new String[] {"Person", owner.isEmpty() ? "Shared device (nobody assigned)" : owner});
        facts.add(new String[] {"Ownership", d.ownership().name()});
        if (d.hardware() != null && d.hardware().serialNumber() != null) {
            facts.add(new String[] {"Serial number", d.hardware().serialNumber()});
        }
        facts.add(new String[] {"Device id", d.id()});
        String who = owner.isEmpty() ? "this shared device" : owner + "'s device";
        String consequence = switch (action) {
            case LOCK -> "The screen of " + who + " locks now; its user unlocks it with their passcode.";
            case SELECTIVE_WIPE -> "Work data (the work profile and managed apps) is removed from " + who
                    + ". Personal data stays. When the device reports it done, the device is retired.";
            case WIPE -> "The device is reset to factory settings: everything on it is erased. This cannot be undone.";
            case RETIRE -> "Its certificate is revoked now and it is refused from its next request; it gets no more"
                    + " messages or policies. This cannot be undone: to use it again, enroll it again.";
            case SYNC -> "The device is asked to check in and fetch its policy now.";
        };
        String label = switch (action) {
            case LOCK -> "Lock device";
            case SELECTIVE_WIPE -> "Remove work data";
            case WIPE -> "Erase device";
            case RETIRE -> "Retire device";
            case SYNC -> "Sync now";
        };
        String title = switch (action) {
            case LOCK -> "Lock this device?";
            case SELECTIVE_WIPE -> "Remove work data from this device?";
            case WIPE -> "Erase this device completely?";
            case RETIRE -> "Retire this device?";
            case SYNC -> "Sync this device now?";
        };
        return new Confirmation(title, facts, consequence, "/console/devices/" + d.id() + "/actions",
                List.<String[]>of(new String[] {"type", action.name()}), label,
                action == ActionType.WIPE || action == ActionType.RETIRE || action == ActionType.SELECTIVE_WIPE,
                "/console/devices/" + d.id());
    }

    /** A setting of the effective policy, with where its value came from. */
    record Setting(String path, Object value, EffectivePolicy.Source source) {
    }

    /** In schema order, as the policy lists them. */
    static List<Setting> settings(EffectivePolicy policy) {
        List<Setting> settings = new ArrayList<>();
        policy.settings().forEach((path, value) -> settings.add(new Setting(path, value,
                policy.sources().get(path))));
        return settings;
    }
}
