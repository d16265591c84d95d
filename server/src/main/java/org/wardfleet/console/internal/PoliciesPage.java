package org.wardfleet.console.internal;

import java.time.Duration;
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
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.policy.Policies;
import org.wardfleet.policy.PolicyDetail;
import org.wardfleet.policy.PolicyRollouts;
import org.wardfleet.policy.PolicyVersion;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Policies: the list of policies and baselines; one policy with its rollout (per device and per setting, with the
 * controls each setting serves, kept current live), its assignments, its versions and its YAML; and, for ADMIN, the
 * YAML editor, where saving makes a new version and the schema's errors are shown at their lines. Everything goes
 * through {@link Policies} and {@link PolicyRollouts} with the signed-in person, as the API does.
 */
@Controller
class PoliciesPage {

    static final Duration LIVE_EVERY = Duration.ofSeconds(2);

    private final Policies policies;
    private final PolicyRollouts rollouts;
    private final UserDirectory users;
    private final LiveUpdates live;

    PoliciesPage(Policies policies, PolicyRollouts rollouts, UserDirectory users, LiveUpdates live) {
        this.policies = policies;
        this.rollouts = rollouts;
        this.users = users;
        this.live = live;
    }

    @GetMapping("/console/policies")
    Mono<Rendering> list(Caller caller, ServerWebExchange exchange) {
        return policies.list(caller).map(list -> ConsoleViews.page(exchange, "console/policies", null, "policies")
                .modelAttribute("policies", list).build());
    }

    @GetMapping("/console/policies/new")
    Mono<Rendering> draft(Caller caller, ServerWebExchange exchange) {
        return Mono.fromCallable(() -> caller.requireAny(Role.ADMIN))
                .map(admin -> newPolicy(exchange, PolicyEditor.of(PolicyEditor.TEMPLATE)));
    }

    /** The editor's form: the text, and whether to only check it or to save it. */
    record DocumentForm(String document, String action) {

        /** Browsers send a textarea's lines with CRLF (HTML form submission); the stored text keeps LF. */
        DocumentForm {
            document = document == null ? null : document.replace("\r\n", "\n");
        }

        boolean saving() {
            return !"check".equals(action);
        }
    }

    @PostMapping("/console/policies")
    Mono<Rendering> create(Caller caller, DocumentForm form, ServerWebExchange exchange) {
        return checkThenSave(caller, null, form, editor -> Mono.just(newPolicy(exchange, editor)));
    }

    @PostMapping("/console/policies/{id}/versions")
    Mono<Rendering> newVersion(Caller caller, @PathVariable String id, DocumentForm form,
            ServerWebExchange exchange) {
        return checkThenSave(caller, id, form, editor -> detail(caller, id, null, editor, "", exchange));
    }

    /** Errors (or "checked") → the editor again with the text as typed; saved → the policy, saying which version. */
    private Mono<Rendering> checkThenSave(Caller caller, String id, DocumentForm form,
            java.util.function.Function<PolicyEditor, Mono<Rendering>> again) {
        return policies.check(caller, form.document()).flatMap(errors -> {
            if (!errors.isEmpty() || !form.saving()) {
                return again.apply(new PolicyEditor(form.document(), errors, errors.isEmpty()));
            }
            return policies.submit(caller, id, form.document()).map(saved -> Rendering.redirectTo(
                    "/console/policies/" + saved.id() + "?saved=" + saved.version()
                            + (saved.created() ? "" : "&unchanged=true")).build());
        });
    }

    @GetMapping("/console/policies/{id}")
    Mono<Rendering> show(Caller caller, @PathVariable String id, @RequestParam(required = false) Integer version,
            @RequestParam(required = false) Integer saved, @RequestParam(required = false) Boolean unchanged,
            @RequestParam(required = false) String done, ServerWebExchange exchange) {
        String message = saved != null ? (Boolean.TRUE.equals(unchanged)
                ? "Nothing changed: the text is the same as version " + saved + "."
                : "Saved as version " + saved + ". Publish it to send it to devices.")
                : done == null ? "" : switch (done) {
                    case "published" -> "Published. Devices it is assigned to are told now; the rollout below "
                            + "follows what they report.";
                    case "assigned" -> "Assigned. Devices it now applies to are told; the rollout below follows them.";
                    case "unassigned" -> "Assignment removed.";
                    default -> "";
                };
        return detail(caller, id, version, null, message, exchange);
    }

    /** The rollout panel alone: what the live stream asks for when something changed. */
    @GetMapping("/console/policies/{id}/rollout")
    Mono<Rendering> rolloutPart(Caller caller, @PathVariable String id) {
        return Mono.zip(policies.detail(caller, id), rollouts.rollout(caller, id))
                .map(t -> Rendering.view("console/policy :: rollout").modelAttribute("policy", t.getT1())
                        .modelAttribute("rollout", t.getT2()).build());
    }

    @GetMapping(path = "/console/policies/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> live(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return live.watch(exchange, LIVE_EVERY, () -> rollouts.rollout(caller, id));
    }

    private Rendering newPolicy(ServerWebExchange exchange, PolicyEditor editor) {
        return ConsoleViews.page(exchange, "console/policy-new", null, "policies").modelAttribute("editor", editor)
                .build();
    }

    /** The whole policy page; {@code editor} when the editor comes back with the text as typed. */
    private Mono<Rendering> detail(Caller caller, String id, Integer version, PolicyEditor editor, String message,
            ServerWebExchange exchange) {
        return policies.detail(caller, id).flatMap(policy -> {
            Integer shown = version != null ? version : policy.latestVersion() > 0 ? policy.latestVersion() : null;
            Mono<Optional<PolicyVersion>> text = shown == null ? Mono.just(Optional.empty())
                    : policies.version(caller, id, shown).map(Optional::of);
            return Mono.zip(text, rollouts.rollout(caller, id), authors(caller, policy))
                    .map(t -> ConsoleViews.page(exchange, "console/policy", null, "policies")
                            .modelAttribute("policy", policy)
                            .modelAttribute("shown", t.getT1())
                            .modelAttribute("rollout", t.getT2())
                            .modelAttribute("authors", t.getT3())
                            .modelAttribute("editor", editor != null ? editor
                                    : PolicyEditor.of(t.getT1().map(PolicyVersion::source).orElse("")))
                            .modelAttribute("message", message)
                            .modelAttribute("assignable", PolicyAssignmentsPage.CHOICES)
                            .modelAttribute("targets", policy.assignments().stream().collect(
                                    java.util.stream.Collectors.toMap(PolicyDetail.Assignment::id,
                                            a -> PolicyAssignmentsPage.describe(a.targetType(), a.target()))))
                            .modelAttribute("newestFirst", newestFirst(policy))
                            .modelAttribute("sourceLines", t.getT1().map(v -> java.util.List.of(
                                    v.source().split("\n", -1))).orElse(java.util.List.of()))
                            .build());
        });
    }

    private static java.util.List<PolicyDetail.VersionSummary> newestFirst(PolicyDetail policy) {
        java.util.List<PolicyDetail.VersionSummary> versions = new java.util.ArrayList<>(policy.versions());
        java.util.Collections.reverse(versions);
        return versions;
    }

    /** Who made each version, as people read it (a handful of lookups: one per author). */
    private Mono<java.util.Map<String, String>> authors(Caller caller, PolicyDetail policy) {
        return Flux.fromIterable(policy.versions().stream().map(PolicyDetail.VersionSummary::createdBy)
                        .filter(java.util.Objects::nonNull).distinct().toList())
                .flatMap(by -> users.find(caller.orgId(), by).map(ConsoleViews::name).defaultIfEmpty(by)
                        .map(name -> java.util.Map.entry(by, name)), 4)
                .collectMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue);
    }
}
