package org.wardfleet.console.internal;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.identity.UserSummary;
import org.wardfleet.oncall.OnCallSchedules;
import org.wardfleet.oncall.OnCallSchedules.RoleSummary;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemException;

import reactor.core.publisher.Mono;

/**
 * On-call: each role's calendar — a week or a month in the role's own time zone, gaps marked in colour and in words —
 * its overrides and leave, and adding or deleting an override. Everything shown comes from {@link OnCallSchedules}
 * (the resolution that routes pages) and every change goes through it, with the API's rules and audit.
 */
@Controller
class OnCallPage {

    private final OnCallSchedules schedules;
    private final UserDirectory users;
    private final Clock clock;

    OnCallPage(OnCallSchedules schedules, UserDirectory users, Clock clock) {
        this.schedules = schedules;
        this.users = users;
        this.clock = clock;
    }

    /** Which calendar: role, {@code week} or {@code month}, a day in it (default today in the role's zone). */
    record Showing(String role, String view, String date) {

        /** The same calendar of role {@code id}, every value checked: it goes back into an address. */
        Showing of(String id) {
            String day = date == null ? "" : date.trim();
            try {
                day = day.isEmpty() ? "" : LocalDate.parse(day).toString();
            } catch (DateTimeException e) {
                day = "";
            }
            return new Showing(id, "month".equals(view) ? "month" : "week", day);
        }

        String query() {
            return "role=" + role + "&view=" + view + "&date=" + date;
        }
    }

    /** The override form as typed: the person's email, and local date-times in the role's zone. */
    record OverrideForm(String person, String from, String to) {

        static OverrideForm blank() {
            return new OverrideForm("", "", "");
        }
    }

    /** The confirmed override, as the confirmation posts it. */
    record Confirmed(String userId, String from, String to) {
    }

    @GetMapping("/console/oncall")
    Mono<Rendering> show(Caller caller, @RequestParam(required = false) String role,
            @RequestParam(defaultValue = "week") String view, @RequestParam(required = false) String date,
            @RequestParam(defaultValue = "") String done, ServerWebExchange exchange) {
        return render(caller, exchange, role, view, date, OverrideForm.blank(), Map.of(), done);
    }

    /** Checks the override form and asks before adding it, naming who is on call then and who will be. */
    @PostMapping("/console/oncall/roles/{id}/overrides/check")
    Mono<Rendering> check(Caller caller, @PathVariable String id, OverrideForm form, Showing asked,
            ServerWebExchange exchange) {
        Showing showing = asked.of(id);
        Map<String, String> errors = new LinkedHashMap<>();
        return schedules.role(caller, id).flatMap(role -> person(caller, form.person(), errors).flatMap(person -> {
            ZoneId zone = ZoneId.of(role.timeZone());
            Instant from = local(form.from(), "from", zone, errors);
            Instant to = local(form.to(), "to", zone, errors);
            if (errors.isEmpty() && !to.isAfter(from)) {
                errors.put("to", "The end must be after the start");
            }
            if (!errors.isEmpty()) {
                return render(caller, exchange, id, showing.view(), showing.date(), form, errors, "");
            }
            return replaced(caller, id, from, to).map(before -> {
                List<String[]> facts = new ArrayList<>();
                facts.add(new String[] {"Role", role.name()});
                facts.add(new String[] {"On call", ConsoleViews.name(person) + " (" + person.email() + ")"});
                facts.add(new String[] {"From", OnCallCalendar.WHEN.format(from.atZone(zone)) + " " + zone});
                facts.add(new String[] {"Until", OnCallCalendar.WHEN.format(to.atZone(zone)) + " " + zone});
                facts.add(new String[] {"Length", OnCallCalendar.length(Duration.between(from, to).toMinutes())});
                facts.add(new String[] {"Instead of", before});
                Confirmation c = new Confirmation("Add this override?", facts, ConsoleViews.name(person)
                        + " is paged for this role during these hours, whatever the rota says; the change is audited.",
                        "/console/oncall/roles/" + id + "/overrides", List.of(new String[] {"userId", person.id()},
                        new String[] {"from", form.from()}, new String[] {"to", form.to()},
                        new String[] {"view", showing.view()}, new String[] {"date", showing.date()}),
                        "Add override", false, "/console/oncall?" + showing.query());
                return confirmation(exchange, c);
            });
        }));
    }

    /** Adds the confirmed override through the service; its refusals are shown on the form. */
    @PostMapping("/console/oncall/roles/{id}/overrides")
    Mono<Rendering> add(Caller caller, @PathVariable String id, Confirmed confirmed, Showing asked,
            ServerWebExchange exchange) {
        Showing showing = asked.of(id);
        String userId = confirmed.userId() == null ? "" : confirmed.userId();
        String from = confirmed.from() == null ? "" : confirmed.from();
        String to = confirmed.to() == null ? "" : confirmed.to();
        return schedules.addOverride(caller, id, userId, from, to)
                .map(created -> Rendering.redirectTo("/console/oncall?" + showing.query() + "&done=added").build())
                .onErrorResume(ProblemException.class, refused -> refused.getStatusCode().value() != 400
                        ? Mono.error(refused)
                        : users.find(caller.orgId(), userId).map(UserSummary::email).defaultIfEmpty("")
                                .flatMap(email -> render(caller, exchange, id, showing.view(), showing.date(),
                                        new OverrideForm(email, from, to),
                                        ProblemFields.of(refused, Map.of("userId", "person"), "person"), "")));
    }

    @GetMapping("/console/oncall/roles/{id}/covers/{coverId}/confirm-delete")
    Mono<Rendering> confirmDelete(Caller caller, @PathVariable String id, @PathVariable String coverId,
            Showing asked, ServerWebExchange exchange) {
        Showing showing = asked.of(id);
        return schedules.role(caller, id).zipWith(schedules.cover(caller, id, coverId)).map(t -> {
            ZoneId zone = ZoneId.of(t.getT1().timeZone());
            OnCallSchedules.Cover cover = t.getT2();
            boolean leave = "LEAVE".equals(cover.kind());
            List<String[]> facts = new ArrayList<>();
            facts.add(new String[] {"Role", t.getT1().name()});
            facts.add(new String[] {leave ? "Leave of" : "Override by", cover.person().name()});
            facts.add(new String[] {"From", OnCallCalendar.WHEN.format(cover.from().atZone(zone)) + " " + zone});
            facts.add(new String[] {"Until", OnCallCalendar.WHEN.format(cover.to().atZone(zone)) + " " + zone});
            Confirmation c = new Confirmation(leave ? "Delete this leave?" : "Delete this override?", facts,
                    "The rota applies again for these hours (check the calendar for gaps); the change is audited.",
                    "/console/oncall/roles/" + id + "/covers/" + coverId + "/delete",
                    List.of(new String[] {"view", showing.view()}, new String[] {"date", showing.date()}),
                    leave ? "Delete leave" : "Delete override", true, "/console/oncall?" + showing.query());
            return confirmation(exchange, c);
        });
    }

    @PostMapping("/console/oncall/roles/{id}/covers/{coverId}/delete")
    Mono<Rendering> delete(Caller caller, @PathVariable String id, @PathVariable String coverId, Showing asked) {
        Showing showing = asked.of(id);
        return schedules.deleteCover(caller, id, coverId)
                .thenReturn(Rendering.redirectTo("/console/oncall?" + showing.query() + "&done=deleted").build());
    }

    /**
     * The page, or only {@code form} (a {@code th:fragment} with that id) when htmx asked for it — or when the form was
     * {@code refused} in an htmx request that aimed elsewhere (its confirmation area): then the form comes back with
     * its errors, swapped in place of itself.
     */
    static Rendering.Builder<?> view(ServerWebExchange exchange, String template, String form, boolean refused) {
        if (refused && Htmx.request(exchange) && !Htmx.targets(exchange, form)) {
            exchange.getResponse().getHeaders().set("HX-Retarget", "#" + form);
            exchange.getResponse().getHeaders().set("HX-Reswap", "outerHTML");
            return Rendering.view(template + " :: " + form).modelAttribute("section", "oncall");
        }
        return ConsoleViews.page(exchange, template, form, "oncall");
    }

    private static Rendering confirmation(ServerWebExchange exchange, Confirmation c) {
        return Htmx.request(exchange) ? Rendering.view("console/confirm :: confirm").modelAttribute("c", c).build()
                : ConsoleViews.page(exchange, "console/confirm", null, "oncall").modelAttribute("c", c).build();
    }

    private Mono<Rendering> render(Caller caller, ServerWebExchange exchange, String roleId, String view,
            String date, OverrideForm form, Map<String, String> errors, String done) {
        String shown = "month".equals(view) ? "month" : "week";
        return schedules.roles(caller).collectList().flatMap(roles -> {
            RoleSummary role = roles.stream().filter(r -> r.id().equals(roleId)).findFirst()
                    .orElse(roles.isEmpty() ? null : roles.get(0));
            Rendering.Builder<?> page = view(exchange, "console/oncall", "add-override", !errors.isEmpty())
                    .status(errors.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST)
                    .modelAttribute("roles", roles).modelAttribute("form", form).modelAttribute("errors", errors)
                    .modelAttribute("done", done);
            if (role == null) {
                return Mono.just(page.modelAttribute("role", "").build());
            }
            ZoneId zone = ZoneId.of(role.timeZone());
            LocalDate today = LocalDate.now(clock.withZone(zone));
            LocalDate day = day(date, today);
            Instant[] window = OnCallCalendar.window(shown, day, zone);
            return schedules.schedule(caller, role.id(), window[0], window[1]).map(schedule -> page
                    .modelAttribute("role", role)
                    .modelAttribute("showing", new Showing(role.id(), shown, day.toString()))
                    .modelAttribute("calendar", OnCallCalendar.of(shown, day, zone, today, schedule.segments()))
                    .modelAttribute("covers", schedule.covers())
                    .modelAttribute("when", OnCallCalendar.WHEN)
                    .build());
        });
    }

    /** Who the schedule names over [from, to) now: "Dr A; nobody (a gap)" — what the override replaces. */
    private Mono<String> replaced(Caller caller, String roleId, Instant from, Instant to) {
        if (Duration.between(from, to).compareTo(Duration.ofDays(62)) > 0) {
            return Mono.just("(more than 62 days: see the calendar)");
        }
        return schedules.schedule(caller, roleId, from, to).map(s -> String.join("; ", s.segments().stream()
                .map(seg -> seg.gap() ? "nobody (a gap)" : String.join(", ", seg.people().stream()
                        .map(OnCallSchedules.Person::name).toList())).distinct().toList()))
                .onErrorResume(ProblemException.class, e -> Mono.just("(not known: " + e.getBody().getDetail()
                        + ")"));
    }

    private Mono<UserSummary> person(Caller caller, String email, Map<String, String> errors) {
        String typed = email == null ? "" : email.trim();
        if (typed.isEmpty() || typed.length() > 254) {
            errors.put("person", "Enter the email address of the person who covers");
            return Mono.just(new UserSummary("", "", "", "", java.util.Set.of(), true));
        }
        return users.findByEmail(caller.orgId(), typed).filter(u -> !u.disabled())
                .switchIfEmpty(Mono.fromCallable(() -> {
                    errors.put("person", "Nobody active in your organisation has this email address");
                    return new UserSummary("", "", "", "", java.util.Set.of(), true);
                }));
    }

    /** A date-time as a {@code datetime-local} input sends it, in the role's zone. */
    private static Instant local(String text, String field, ZoneId zone, Map<String, String> errors) {
        try {
            return LocalDateTime.parse(text == null ? "" : text.trim()).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            errors.put(field, "Enter a date and time");
            return null;
        }
    }

    private static LocalDate day(String date, LocalDate today) {
        try {
            LocalDate d = date == null || date.isBlank() ? today : LocalDate.parse(date);
            return d.getYear() < 2000 || d.getYear() > 2100 ? today : d;
        } catch (DateTimeException e) {
            return today;
        }
    }
}
