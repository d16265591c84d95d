package org.wardfleet.console.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
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
import org.wardfleet.oncall.Broadcasts;
import org.wardfleet.oncall.PageHistory;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Broadcasts and drills: the list (drills marked as drills), and for those who may broadcast ({@code INCIDENT_LEAD} or
 * {@code ADMIN}: {@link Broadcasts#mayBroadcastToAnyone}) the form, a confirmation that names the audience and whether
 * it is a drill, and then the live roll-up — counts, answers, who has not answered, by name — updating as phones
 * answer. Everything goes through {@link Broadcasts}, the API's service: the same permission check, audit and intent.
 */
@Controller
class PagesBroadcastPage {

    static final int PAGE_SIZE = 25;
    static final Duration LIVE_EVERY = Duration.ofSeconds(2);

    private final Broadcasts broadcasts;
    private final Validator validator;
    private final LiveUpdates live;

    PagesBroadcastPage(Broadcasts broadcasts, Validator validator, LiveUpdates live) {
        this.broadcasts = broadcasts;
        this.validator = validator;
        this.live = live;
    }

    /**
     * The form as posted. {@code audience}: {@code all} or {@code role:<id>}; {@code choices}: one answer a line;
     * {@code key}: made when the form was shown, so a double click or a resent form never broadcasts twice.
     */
    record BroadcastForm(String audience, String text, String priority, String choices, String drill, String key) {

        static BroadcastForm blank() {
            return new BroadcastForm("all", "", "URGENT", "", null, UUID.randomUUID().toString());
        }

        public boolean isDrill() {
            return "on".equals(drill) || "true".equals(drill);
        }

        public List<String> choiceList() {
            return choices == null ? List.of() : Arrays.stream(choices.split("\\R")).map(String::trim)
                    .filter(c -> !c.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "BroadcastForm[" + audience + ", " + priority + ", drill=" + drill + ", text=***]";
        }
    }

    @GetMapping("/console/pages/broadcasts")
    Mono<Rendering> list(Caller caller, @RequestParam(required = false) Boolean drill,
            @RequestParam(required = false) String priority, @RequestParam(defaultValue = "0") int page,
            ServerWebExchange exchange) {
        return render(caller, exchange, drill, priority, Math.max(0, page), BroadcastForm.blank(), Map.of());
    }

    /** Checks the form and asks "are you sure?", naming the audience; nothing is sent yet. */
    @PostMapping("/console/pages/broadcasts/review")
    Mono<Rendering> review(Caller caller, BroadcastForm form, ServerWebExchange exchange) {
        requireMayBroadcast(caller);
        Map<String, String> errors = new LinkedHashMap<>();
        Broadcasts.NewBroadcast body = toBroadcast(form, errors);
        if (!errors.isEmpty()) {
            if (Htmx.request(exchange)) {
                // the form again with what is wrong, in place of the form (not where the confirmation would go)
                exchange.getResponse().getHeaders().set("HX-Retarget", "#compose");
                exchange.getResponse().getHeaders().set("HX-Reswap", "outerHTML");
            }
            return render(caller, exchange, null, null, 0, form, errors);
        }
        return audienceName(caller, body.audience()).map(audience -> {
            Confirmation c = confirmation(form, body, audience);
            return Htmx.request(exchange) ? Rendering.view("console/confirm :: confirm").modelAttribute("c", c).build()
                    : ConsoleViews.page(exchange, "console/confirm", null, "pages").modelAttribute("c", c).build();
        });
    }

    /** The confirmed broadcast: sent by the service (which checks the permission again), then its live roll-up. */
    @PostMapping("/console/pages/broadcasts")
    Mono<Rendering> send(Caller caller, BroadcastForm form) {
        Map<String, String> errors = new LinkedHashMap<>();
        Broadcasts.NewBroadcast body = toBroadcast(form, errors);
        if (!errors.isEmpty() || form.key() == null || form.key().isBlank() || form.key().length() > 64) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception(errors.isEmpty() ? "The form is incomplete"
                    : String.join("; ", errors.values())));
        }
        return broadcasts.send(caller, body, "console-" + form.key())
                .map(id -> Rendering.redirectTo("/console/pages/broadcasts/" + id + "?sent=1").build());
    }

    @GetMapping("/console/pages/broadcasts/{id}")
    Mono<Rendering> show(Caller caller, @PathVariable String id, @RequestParam(required = false) String sent,
            ServerWebExchange exchange) {
        return broadcasts.rollup(caller, id).map(r -> ConsoleViews.page(exchange, "console/pages-broadcast", null,
                        "pages")
                .modelAttribute("r", r)
                .modelAttribute("version", PagesLiveSince.of(r))
                .modelAttribute("sent", sent != null)
                .build());
    }

    @GetMapping("/console/pages/broadcasts/{id}/rollup")
    Mono<Rendering> rollup(Caller caller, @PathVariable String id) {
        return broadcasts.rollup(caller, id).map(r -> Rendering.view("console/pages-broadcast :: rollup")
                .modelAttribute("r", r).build());
    }

    @GetMapping(path = "/console/pages/broadcasts/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> live(Caller caller, @PathVariable String id,
            @RequestParam(name = "v", required = false) String rendered, ServerWebExchange exchange) {
        return live.watch(exchange, LIVE_EVERY, PagesLiveSince.from(rendered, () -> broadcasts.rollup(caller, id)));
    }

    private Mono<Rendering> render(Caller caller, ServerWebExchange exchange, Boolean drill, String priority,
            int page, BroadcastForm form, Map<String, String> errors) {
        String wanted = priority != null && PageHistory.PRIORITIES.contains(priority) ? priority : null;
        boolean formOnly = !errors.isEmpty() && Htmx.request(exchange);
        return Mono.zip(broadcasts.list(caller, new Broadcasts.Filter(drill, wanted, null), page, PAGE_SIZE),
                        broadcasts.roles(caller))
                .map(t -> (formOnly ? Rendering.view("console/pages-broadcasts :: compose")
                                .modelAttribute("section", "pages")
                        : ConsoleViews.page(exchange, "console/pages-broadcasts", "results", "pages"))
                        .status(errors.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST)
                        .modelAttribute("list", t.getT1())
                        .modelAttribute("roles", t.getT2())
                        .modelAttribute("drill", drill)
                        .modelAttribute("priority", wanted)
                        .modelAttribute("priorities", PageHistory.PRIORITIES)
                        .modelAttribute("form", form)
                        .modelAttribute("errors", errors)
                        .modelAttribute("mayBroadcast", Broadcasts.mayBroadcastToAnyone(caller))
                        .build());
    }

    /** The form as the service's request, with the record's own constraints checked (the API's rules). */
    private Broadcasts.NewBroadcast toBroadcast(BroadcastForm form, Map<String, String> errors) {
        String audience = form.audience() == null ? "" : form.audience().trim();
        Broadcasts.Audience to = audience.equals("all") ? new Broadcasts.Audience(true, null, null)
                : audience.startsWith("role:") && audience.length() > 5
                        ? new Broadcasts.Audience(null, audience.substring(5), null) : null;
        if (to == null) {
            errors.put("audience", "Choose who receives it");
            to = new Broadcasts.Audience(true, null, null);
        }
        List<String> choices = form.choiceList();
        Broadcasts.NewBroadcast body = new Broadcasts.NewBroadcast(to, form.text() == null ? null : form.text().strip(),
                form.priority(), choices.isEmpty() ? null : choices, form.isDrill());
        if (form.priority() != null && !PageHistory.PRIORITIES.contains(form.priority())) {
            errors.put("priority", "Choose a priority");
        }
        for (ConstraintViolation<Broadcasts.NewBroadcast> v : validator.validate(body)) {
            String field = v.getPropertyPath().toString().replaceAll("[\\[.].*", "");
            errors.putIfAbsent(field, switch (field) {
                case "text" -> "Write the message: 1 to 4,096 characters";
                case "priority" -> "Choose a priority";
                case "choices" -> "Up to " + Broadcasts.MAX_CHOICES + " answers, each at most 64 characters";
                default -> v.getMessage();
            });
        }
        return body;
    }

    private Mono<String> audienceName(Caller caller, Broadcasts.Audience audience) {
        if (Boolean.TRUE.equals(audience.all())) {
            return Mono.just("Everyone in your organisation");
        }
        return broadcasts.roles(caller).map(roles -> roles.containsKey(audience.roleId())
                ? "Whoever is on call now for " + roles.get(audience.roleId())
                : "An on-call role that no longer exists");
    }

    private static Confirmation confirmation(BroadcastForm form, Broadcasts.NewBroadcast body, String audience) {
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"To", audience});
        facts.add(new String[] {"Priority", body.priority()});
        facts.add(new String[] {"Kind", body.drill() ? "DRILL — every phone shows it as a drill"
                : "Real broadcast (not a drill)"});
        facts.add(new String[] {"Answers", body.choices() == null ? "Acknowledge only"
                : String.join(" / ", body.choices())});
        facts.add(new String[] {"Message", body.text().length() + " characters (the console does not show message"
                + " text once sent)"});
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"audience", form.audience()});
        fields.add(new String[] {"text", body.text()});
        fields.add(new String[] {"priority", body.priority()});
        fields.add(new String[] {"choices", String.join("\n", form.choiceList())});
        fields.add(new String[] {"drill", body.drill() ? "on" : ""});
        fields.add(new String[] {"key", form.key()});
        String consequence = body.drill()
                ? "Every recipient's phone alerts now, marked as a drill, and asks them to answer."
                : "Every recipient's phone alerts now"
                        + " and asks them to answer. This cannot be recalled.";
        return new Confirmation(body.drill() ? "Send this drill?" : "Send this broadcast?", facts, consequence,
                "/console/pages/broadcasts", fields, body.drill() ? "Send drill" : "Send broadcast", !body.drill(),
                "/console/pages/broadcasts");
    }

    private static void requireMayBroadcast(Caller caller) {
        if (!Broadcasts.mayBroadcastToAnyone(caller)) {
            throw ProblemType.FORBIDDEN.exception("Broadcasting needs the INCIDENT_LEAD role, which an administrator"
                    + " grants");
        }
    }
}
