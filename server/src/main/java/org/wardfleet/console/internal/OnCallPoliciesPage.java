package org.wardfleet.console.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.identity.UserSummary;
import org.wardfleet.oncall.EscalationPolicies;
import org.wardfleet.oncall.EscalationPolicies.PolicyDraft;
import org.wardfleet.oncall.EscalationPolicies.PolicyView;
import org.wardfleet.oncall.EscalationPolicies.StepDraft;
import org.wardfleet.oncall.OnCallSchedules;
import org.wardfleet.oncall.PageTarget;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Escalation policies: the list (who is paged at each step, how long each step waits, which roles use it) and the
 * editor. The editor is a form the server redraws as steps and targets are added or removed; saving asks first, then
 * goes through {@link EscalationPolicies} — the draft's own constraints and the service's checks, exactly as the API's
 * — with every refusal shown next to the field it names.
 */
@Controller
class OnCallPoliciesPage {

    static final int MAX_STEPS = 10;
    static final int MAX_TARGETS = 20;

    private final EscalationPolicies policies;
    private final OnCallSchedules schedules;
    private final UserDirectory users;
    private final Validator validator;
    private final EnrollPage people;

    OnCallPoliciesPage(EscalationPolicies policies, OnCallSchedules schedules, UserDirectory users,
            Validator validator, EnrollPage people) {
        this.policies = policies;
        this.schedules = schedules;
        this.users = users;
        this.validator = validator;
        this.people = people;
    }

    /** A target as typed: {@code kind} person (an email), role (a role id) or group (a group's name). */
    record TargetForm(String kind, String value) {
    }

    /** {@code minutes}: the wait after the step, as typed. */
    record StepForm(String minutes, List<TargetForm> targets) {
    }

    /** {@code id} empty: a new policy. */
    record PolicyForm(String id, String name, String repeat, List<StepForm> steps) {

        static PolicyForm blank() {
            return new PolicyForm("", "", "1", List.of(new StepForm("5", List.of(new TargetForm("role", "")))));
        }
    }

    /** A step's wait as the list shows it, in minutes. */
    record Waits() {

        public String of(int seconds) {
            return asMinutes(seconds);
        }
    }

    @GetMapping("/console/oncall/policies")
    Mono<Rendering> list(Caller caller, @RequestParam(defaultValue = "") String done, ServerWebExchange exchange) {
        return policies.list(caller, 0, 200).map(page -> ConsoleViews.page(exchange, "console/oncall-policies", null,
                        "oncall")
                .modelAttribute("policies", page.items()).modelAttribute("total", page.total())
                .modelAttribute("done", done).modelAttribute("waits", new Waits()).build());
    }

    @GetMapping("/console/oncall/policies/new")
    Mono<Rendering> create(Caller caller, ServerWebExchange exchange) {
        return editor(caller, exchange, PolicyForm.blank(), Map.of());
    }

    @GetMapping("/console/oncall/policies/{id}/edit")
    Mono<Rendering> edit(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return policies.get(caller, id).flatMap(p -> form(caller, p))
                .flatMap(form -> editor(caller, exchange, form, Map.of()));
    }

    /** Adds or removes a step or a target ({@code edit}), or redraws after a target's kind changed: nothing saved. */
    @PostMapping("/console/oncall/policies/edit")
    Mono<Rendering> change(Caller caller, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(data -> editor(caller, exchange,
                edited(parse(data), data.getFirst("edit")), Map.of()));
    }

    /** Checks the policy and asks before saving it, naming what it will do. */
    @PostMapping("/console/oncall/policies/check")
    Mono<Rendering> check(Caller caller, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(data -> {
            PolicyForm form = parse(data);
            Map<String, String> errors = new LinkedHashMap<>();
            return draft(caller, form, errors).zipWith(schedules.roles(caller)
                    .collectMap(OnCallSchedules.RoleSummary::id, OnCallSchedules.RoleSummary::name)).flatMap(t -> {
                PolicyDraft draft = t.getT1();
                if (!errors.isEmpty()) {
                    return editor(caller, exchange, form, errors);
                }
                List<String[]> facts = new ArrayList<>();
                facts.add(new String[] {"Policy", draft.name()});
                for (int i = 0; i < form.steps().size(); i++) {
                    facts.add(new String[] {"Step " + (i + 1), describe(form.steps().get(i), t.getT2()) + "; then wait "
                            + form.steps().get(i).minutes() + " min"});
                }
                facts.add(new String[] {"Rounds", draft.repeat() + (draft.repeat() == 1 ? " time" : " times")
                        + " through the steps"});
                Confirmation c = new Confirmation(form.id().isEmpty() ? "Create this escalation policy?"
                        : "Save changes to this escalation policy?", facts,
                        "Pages sent from now on follow these steps; pages already under way keep the steps they "
                                + "started with. The change is audited.",
                        "/console/oncall/policies/save", hidden(form), form.id().isEmpty() ? "Create policy"
                                : "Save policy", false, form.id().isEmpty() ? "/console/oncall/policies"
                                : "/console/oncall/policies/" + form.id() + "/edit");
                return Mono.just(Htmx.request(exchange)
                        ? Rendering.view("console/confirm :: confirm").modelAttribute("c", c).build()
                        : ConsoleViews.page(exchange, "console/confirm", null, "oncall").modelAttribute("c", c)
                                .build());
            });
        });
    }

    /** Creates or replaces the policy through the service; its refusals go back to the editor, by field. */
    @PostMapping("/console/oncall/policies/save")
    Mono<Rendering> save(Caller caller, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(data -> {
            PolicyForm form = parse(data);
            Map<String, String> errors = new LinkedHashMap<>();
            return draft(caller, form, errors).flatMap(draft -> {
                if (!errors.isEmpty()) {
                    caller.requireAny(Role.ADMIN);
                    return editor(caller, exchange, form, errors);
                }
                Mono<String> saved = form.id().isEmpty() ? policies.create(caller, draft)
                        : policies.replace(caller, form.id(), draft).map(PolicyView::id);
                return saved.map(id -> Rendering.redirectTo("/console/oncall/policies?done=saved#policy-" + id)
                                .build())
                        .onErrorResume(ProblemException.class, refused -> refused.getStatusCode().value() != 400
                                ? Mono.error(refused) : editor(caller, exchange, form, fields(refused)));
            });
        });
    }

    /** Suggestions for a person target: what {@code /console/people} answers, for any field's name. */
    @GetMapping("/console/oncall/people")
    Mono<Rendering> suggestions(Caller caller, ServerWebExchange exchange) {
        String typed = exchange.getRequest().getQueryParams().values().stream().flatMap(List::stream)
                .filter(v -> v != null && !v.isBlank()).findFirst().orElse("");
        return people.people(caller, typed);
    }

    private Mono<Rendering> editor(Caller caller, ServerWebExchange exchange, PolicyForm form,
            Map<String, String> errors) {
        if (!caller.has(Role.ADMIN)) {
            return Mono.just(Rendering.redirectTo("/console/oncall/policies").build());
        }
        return schedules.roles(caller).collectList().map(roles -> OnCallPage.view(exchange,
                        "console/oncall-policy", "policy-editor", !errors.isEmpty())
                .status(errors.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST)
                .modelAttribute("form", form).modelAttribute("errors", errors).modelAttribute("roles", roles)
                .modelAttribute("maxSteps", MAX_STEPS).modelAttribute("maxTargets", MAX_TARGETS).build());
    }

    /** The form as the service's draft: emails resolved to people, minutes to seconds, the draft's constraints. */
    private Mono<PolicyDraft> draft(Caller caller, PolicyForm form, Map<String, String> errors) {
        Integer repeat = whole(form.repeat());
        if (repeat == null) {
            errors.put("repeat", "Enter a whole number from 1 to 10");
        }
        return Flux.range(0, form.steps().size()).concatMap(i -> {
            StepForm step = form.steps().get(i);
            Integer seconds = seconds(step.minutes());
            if (seconds == null) {
                errors.put("steps[" + i + "].waitSeconds", "Enter minutes, e.g. 5 or 0.5");
            }
            return Flux.range(0, step.targets().size())
                    .concatMap(j -> target(caller, step.targets().get(j), "steps[" + i + "].targets[" + j + "]",
                            errors))
                    .collectList().map(targets -> new StepDraft(targets, seconds == null ? 60 : seconds));
        }).collectList().map(steps -> {
            PolicyDraft draft = new PolicyDraft(form.name().trim(), repeat == null ? 1 : repeat, steps);
            for (ConstraintViolation<PolicyDraft> v : validator.validate(draft)) {
                String path = v.getPropertyPath().toString();
                errors.putIfAbsent(path, message(path, v.getMessage()));
            }
            return draft;
        });
    }

    private Mono<PageTarget> target(Caller caller, TargetForm t, String path, Map<String, String> errors) {
        String value = t.value().trim();
        if (value.isEmpty()) {
            errors.put(path, "person".equals(t.kind()) ? "Enter the person's email" : "role".equals(t.kind())
                    ? "Choose a role" : "Enter the group's name");
            return Mono.just(new PageTarget(null, null, null));
        }
        return switch (t.kind()) {
            case "person" -> users.findByEmail(caller.orgId(), value).filter(u -> !u.disabled())
                    .map(u -> new PageTarget(u.id(), null, null))
                    .switchIfEmpty(Mono.fromCallable(() -> {
                        errors.put(path, "Nobody active in your organisation has this email address");
                        return new PageTarget(null, null, null);
                    }));
            case "group" -> Mono.just(new PageTarget(null, null, value));
            default -> Mono.just(new PageTarget(null, value, null));
        };
    }

    /** A stored policy as the form shows it: people by email, waits in minutes. */
    private Mono<PolicyForm> form(Caller caller, PolicyView p) {
        return Flux.fromIterable(p.steps()).concatMap(s -> Flux.fromIterable(s.targets())
                        .concatMap(t -> t.userId() != null ? users.find(caller.orgId(), t.userId())
                                .map(UserSummary::email).defaultIfEmpty(t.userId())
                                .map(email -> new TargetForm("person", email))
                                : Mono.just(t.roleId() != null ? new TargetForm("role", t.roleId())
                                        : new TargetForm("group", t.groupId())))
                        .collectList().map(targets -> new StepForm(asMinutes(s.waitSeconds()), targets)))
                .collectList().map(steps -> new PolicyForm(p.id(), p.name(), String.valueOf(p.repeat()), steps));
    }

    /** The form as posted: {@code steps[i].wait}, {@code steps[i].targets[j].kind} and {@code .value}, bounded. */
    static PolicyForm parse(MultiValueMap<String, String> data) {
        List<StepForm> steps = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS + 1 && data.containsKey("steps[" + i + "].wait"); i++) {
            List<TargetForm> targets = new ArrayList<>();
            for (int j = 0; j < MAX_TARGETS + 1 && data.containsKey("steps[" + i + "].targets[" + j + "].kind"); j++) {
                String prefix = "steps[" + i + "].targets[" + j + "].";
                String kind = text(data.getFirst(prefix + "kind"), 10);
                targets.add(new TargetForm(List.of("person", "role", "group").contains(kind) ? kind : "person",
                        text(data.getFirst(prefix + "value"), 254)));
            }
            steps.add(new StepForm(text(data.getFirst("steps[" + i + "].wait"), 12), targets));
        }
        return new PolicyForm(text(data.getFirst("id"), 64), text(data.getFirst("name"), 200),
                text(data.getFirst("repeat"), 6), steps);
    }

    /** {@code add-step}, {@code remove-step:i}, {@code add-target:i}, {@code remove-target:i:j}; else unchanged. */
    static PolicyForm edited(PolicyForm form, String edit) {
        List<StepForm> steps = new ArrayList<>(form.steps());
        String[] parts = edit == null ? new String[0] : edit.split(":");
        try {
            if (parts.length == 1 && "add-step".equals(parts[0]) && steps.size() < MAX_STEPS) {
                steps.add(new StepForm("5", List.of(new TargetForm("person", ""))));
            } else if (parts.length == 2 && "remove-step".equals(parts[0]) && steps.size() > 1) {
                steps.remove(Integer.parseInt(parts[1]));
            } else if (parts.length == 2 && "add-target".equals(parts[0])) {
                int i = Integer.parseInt(parts[1]);
                List<TargetForm> targets = new ArrayList<>(steps.get(i).targets());
                if (targets.size() < MAX_TARGETS) {
                    targets.add(new TargetForm("person", ""));
                }
                steps.set(i, new StepForm(steps.get(i).minutes(), targets));
            } else if (parts.length == 3 && "remove-target".equals(parts[0])) {
                int i = Integer.parseInt(parts[1]);
                List<TargetForm> targets = new ArrayList<>(steps.get(i).targets());
                targets.remove(Integer.parseInt(parts[2]));
                steps.set(i, new StepForm(steps.get(i).minutes(), targets));
            }
        } catch (RuntimeException ignored) {
            // an index that is not there (a stale page): the form stays as it was
        }
        return new PolicyForm(form.id(), form.name(), form.repeat(), steps);
    }

    /** The form as hidden fields of the confirmation, posted as they were typed. */
    private static List<String[]> hidden(PolicyForm form) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"id", form.id()});
        fields.add(new String[] {"name", form.name()});
        fields.add(new String[] {"repeat", form.repeat()});
        for (int i = 0; i < form.steps().size(); i++) {
            fields.add(new String[] {"steps[" + i + "].wait", form.steps().get(i).minutes()});
            for (int j = 0; j < form.steps().get(i).targets().size(); j++) {
                TargetForm t = form.steps().get(i).targets().get(j);
                fields.add(new String[] {"steps[" + i + "].targets[" + j + "].kind", t.kind()});
                fields.add(new String[] {"steps[" + i + "].targets[" + j + "].value", t.value()});
            }
        }
        return fields;
    }

    private static String describe(StepForm step, Map<String, String> roleNames) {
        return String.join(", ", step.targets().stream().map(t -> "role".equals(t.kind())
                ? "whoever is on call for " + roleNames.getOrDefault(t.value(), t.value())
                : "group".equals(t.kind()) ? "group " + t.value() : t.value()).toList());
    }

    /** The service's refusal by field; {@code steps[0].targets[1].userId} is the target's row. */
    private static Map<String, String> fields(ProblemException refused) {
        Map<String, String> fields = new LinkedHashMap<>();
        ProblemFields.of(refused, Map.of(), "form").forEach((path, message) -> fields.putIfAbsent(
                path.replaceAll("\\.(userId|roleId|groupId)$", ""), message));
        return fields;
    }

    private static String message(String path, String message) {
        if (path.endsWith("waitSeconds")) {
            return "From 0.17 minutes (10 seconds) to 1440 minutes (24 hours)";
        }
        if (path.equals("repeat")) {
            return "From 1 to 10 rounds";
        }
        if (path.endsWith("targets")) {
            return "A step pages at least one and at most 20 targets";
        }
        if (path.equals("steps")) {
            return "A policy has 1 to 10 steps";
        }
        return Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    private static Integer seconds(String minutes) {
        try {
            return new BigDecimal(minutes.trim()).multiply(BigDecimal.valueOf(60)).setScale(0, RoundingMode.HALF_UP)
                    .intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    static String asMinutes(int seconds) {
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private static Integer whole(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(String value, int max) {
        String v = value == null ? "" : value;
        return v.length() > max ? v.substring(0, max) : v;
    }
}
