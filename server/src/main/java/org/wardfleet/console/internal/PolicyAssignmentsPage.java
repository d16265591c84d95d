package org.wardfleet.console.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.policy.Policies;
import org.wardfleet.policy.PolicyDetail;

import reactor.core.publisher.Mono;

/**
 * The changes a policy page makes to devices — publish a version, assign to an ownership model, platform or group,
 * remove an assignment — each behind a confirmation that names the policy, the version and the target. ADMIN only:
 * {@link Policies} refuses anyone else, whatever the form says.
 */
@Controller
class PolicyAssignmentsPage {

    /** The "Assign to" choices: value ({@code type:target}; a group is named in its own field) and label. */
    static final List<String[]> CHOICES = List.of(
            new String[] {"ownership:COPE", "COPE devices (hospital-owned, one person)"},
            new String[] {"ownership:SHARED", "Shared devices (ward tablets, shift phones)"},
            new String[] {"ownership:BYOD", "BYOD devices (staff-owned)"},
            new String[] {"platform:android", "Every Android device"},
            new String[] {"platform:ios", "Every iOS device"},
            new String[] {"group:", "A group (name it below)"});

    private final Policies policies;

    PolicyAssignmentsPage(Policies policies) {
        this.policies = policies;
    }

    /** The confirmation's question: {@code change} is publish, assign or unassign. */
    record ChangeForm(String change, Integer version, String to, String group, Integer priority, String assignment) {

        String targetType() {
            return to == null || !to.contains(":") ? "" : to.substring(0, to.indexOf(':'));
        }

        String target() {
            if ("group".equals(targetType())) {
                return group == null ? "" : group.trim();
            }
            return to == null ? "" : to.substring(to.indexOf(':') + 1);
        }

        int priorityOrZero() {
            return priority == null ? 0 : priority;
        }
    }

    @GetMapping("/console/policies/{id}/confirm")
    Mono<Rendering> confirm(Caller caller, @PathVariable String id, ChangeForm form, ServerWebExchange exchange) {
        return Mono.fromCallable(() -> caller.requireAny(Role.ADMIN))
                .then(policies.detail(caller, id))
                .map(policy -> confirmation(policy, form))
                .map(c -> Htmx.request(exchange) ? Rendering.view("console/confirm :: confirm").modelAttribute("c", c)
                        .build()
                        : ConsoleViews.page(exchange, "console/confirm", null, "policies").modelAttribute("c", c)
                                .build());
    }

    @PostMapping("/console/policies/{id}/publish")
    Mono<Rendering> publish(Caller caller, @PathVariable String id, ChangeForm form) {
        return policies.publish(caller, id, form.version()).thenReturn(back(id, "published"));
    }

    @PostMapping("/console/policies/{id}/assignments")
    Mono<Rendering> assign(Caller caller, @PathVariable String id, ChangeForm form) {
        return policies.assign(caller, id, form.targetType(), form.target(), form.priorityOrZero())
                .thenReturn(back(id, "assigned"));
    }

    @PostMapping("/console/policies/{id}/assignments/remove")
    Mono<Rendering> unassign(Caller caller, @PathVariable String id, ChangeForm form) {
        if (form.assignment() == null) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception("No assignment chosen"));
        }
        return policies.unassign(caller, id, form.assignment()).thenReturn(back(id, "unassigned"));
    }

    private static Rendering back(String id, String done) {
        return Rendering.redirectTo("/console/policies/" + id + "?done=" + done).build();
    }

    private static Confirmation confirmation(PolicyDetail policy, ChangeForm form) {
        String cancel = "/console/policies/" + policy.id();
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"Policy", policy.name()});
        switch (form.change() == null ? "" : form.change()) {
            case "publish" -> {
                int version = form.version() == null ? policy.latestVersion() : form.version();
                facts.add(new String[] {"Version", version + (policy.publishedVersion() == null ? " (nothing published yet)"
                        : " (now published: version " + policy.publishedVersion() + ")")});
                facts.add(new String[] {"Assigned to", assignedTo(policy)});
                return new Confirmation("Publish version " + version + " of " + policy.name() + "?", facts,
                        "Every device this policy is assigned to is told to fetch it now and enforce its settings.",
                        cancel + "/publish", List.<String[]>of(new String[] {"version", Integer.toString(version)}),
                        "Publish version " + version, false, cancel);
            }
            case "assign" -> {
                facts.add(new String[] {"Assign to", describe(form.targetType(), form.target())});
                facts.add(new String[] {"Priority", Integer.toString(form.priorityOrZero())});
                facts.add(new String[] {"Published version", policy.publishedVersion() == null
                        ? "none yet: devices get it once a version is published"
                        : Integer.toString(policy.publishedVersion())});
                return new Confirmation("Assign " + policy.name() + " to " + describe(form.targetType(),
                        form.target()) + "?", facts, "Matching devices merge this policy into their own (the "
                        + "strictest value of each setting wins) and are told to fetch it now.",
                        cancel + "/assignments", List.of(new String[] {"to", form.to() == null ? "" : form.to()},
                                new String[] {"group", form.group() == null ? "" : form.group()},
                                new String[] {"priority", Integer.toString(form.priorityOrZero())}),
                        "Assign", false, cancel);
            }
            case "unassign" -> {
                PolicyDetail.Assignment a = policy.assignments().stream()
                        .filter(x -> x.id().equals(form.assignment())).findFirst()
                        .orElseThrow(() -> ProblemType.NOT_FOUND.exception("No assignment %s", form.assignment()));
                facts.add(new String[] {"Assigned to", describe(a.targetType(), a.target())});
                return new Confirmation("Stop applying " + policy.name() + " to " + describe(a.targetType(),
                        a.target()) + "?", facts, "Those devices no longer get this policy's settings; they are told to"
                        + " fetch their policy again now.", cancel + "/assignments/remove",
                        List.<String[]>of(new String[] {"assignment", a.id()}), "Remove assignment", true, cancel);
            }
            default -> throw ProblemType.VALIDATION_FAILED.exception("Nothing to confirm");
        }
    }

    private static String assignedTo(PolicyDetail policy) {
        return policy.assignments().isEmpty() ? "nothing yet: no device gets it until it is assigned"
                : String.join(", ", policy.assignments().stream().map(a -> describe(a.targetType(), a.target()))
                        .toList());
    }

    /** An assignment's target as people say it: "COPE devices", "group ICU", "every Android device". */
    static String describe(String type, String target) {
        return switch (type == null ? "" : type) {
            case "ownership" -> target + " devices";
            case "platform" -> "every " + ("ios".equals(target) ? "iOS" : "android".equals(target) ? "Android"
                    : target) + " device";
            case "group" -> "group " + target;
            case "deviceId" -> "device " + target;
            default -> target;
        };
    }
}
