package org.wardfleet.console.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;
import org.wardfleet.enrollment.CreatedInvitation;
import org.wardfleet.enrollment.InvitationView;
import org.wardfleet.enrollment.Invitations;
import org.wardfleet.enrollment.NewInvitation;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.identity.UserSummary;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Enroll: create an invitation and show its QR code (large enough to scan from the screen, and a print view), list the
 * organisation's invitations and revoke open ones. The invitation is {@link NewInvitation}, checked by its own
 * constraints and by the enrollment service, exactly as the API's; the secret is shown once and kept nowhere.
 */
@Controller
class EnrollPage {

    static final int PAGE_SIZE = 25;
    /** How long an invitation stays open: the choices the form offers, in hours (the service allows 1..720). */
    static final Map<Integer, String> EXPIRY = expiry();

    private final Invitations invitations;
    private final UserDirectory users;
    private final Validator validator;

    EnrollPage(Invitations invitations, UserDirectory users, Validator validator) {
        this.invitations = invitations;
        this.users = users;
        this.validator = validator;
    }

    /** The form as posted: text, checked here and then by the service. */
    record InvitationForm(String ownership, String platform, String person, String groups, String maxUses,
            String expiresInHours) {

        static InvitationForm blank() {
            return new InvitationForm("COPE", "ANDROID", "", "", "1", "24");
        }
    }

    /** An invitation in the list, with the name of its person. */
    record Row(InvitationView invitation, String person) {
    }

    /** What the form shows: what was typed, what is wrong with it, or the invitation just created. */
    record Outcome(InvitationForm form, Map<String, String> errors, String refused, CreatedInvitation created,
            String person) {
    }

    @GetMapping("/console/enroll")
    Mono<Rendering> show(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(required = false) String revoked, ServerWebExchange exchange) {
        return render(caller, exchange, null, Math.max(0, page), new Outcome(InvitationForm.blank(), Map.of(), "",
                null, ""), revoked);
    }

    /**
     * Creates the invitation; htmx swaps the answer into {@code #workspace} (the form again, with its errors, the new
     * invitation's QR code and the list with it in).
     */
    @PostMapping("/console/enroll")
    Mono<Rendering> create(Caller caller, InvitationForm posted, ServerWebExchange exchange) {
        Map<String, String> errors = new LinkedHashMap<>();
        String person = posted.person() == null ? "" : posted.person().trim();
        return resolvePerson(caller, person, errors)
                .flatMap(personId -> {
                    NewInvitation body = toInvitation(posted, personId, errors);
                    return errors.isEmpty() ? invitations.create(caller, body)
                            .map(created -> new Outcome(InvitationForm.blank(), Map.of(), "", created, person))
                            // the service's own refusals (a BYOD without its person, ...) are shown on the form
                            .onErrorResume(ProblemException.class, refused -> refused.getStatusCode().value() == 403
                                    ? Mono.error(refused)
                                    : Mono.just(new Outcome(posted, errors, refused.getBody().getDetail(), null, "")))
                            : Mono.just(new Outcome(posted, errors, "", null, ""));
                })
                .flatMap(outcome -> render(caller, exchange, "workspace", 0, outcome, null));
    }

    @GetMapping("/console/enroll/{id}/confirm-revoke")
    Mono<Rendering> confirmRevoke(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return invitations.find(caller, id).zipWhen(i -> person(caller, i.assignedUserId())).map(t -> {
            InvitationView i = t.getT1();
            List<String[]> facts = new ArrayList<>();
            facts.add(new String[] {"Invitation", i.ownership() + " · " + i.platform().wire()});
            facts.add(new String[] {"Person", t.getT2().isEmpty() ? "nobody (shared device)" : t.getT2()});
            facts.add(new String[] {"Uses left", i.remaining() + " of " + i.maxUses()});
            Confirmation c = new Confirmation("Revoke this invitation?", facts,
                    "Its QR code and link stop working at once; devices already enrolled with it are not affected.",
                    "/console/enroll/" + i.id() + "/revoke", List.of(), "Revoke invitation", true, "/console/enroll");
            return Htmx.request(exchange) ? Rendering.view("console/confirm :: confirm").modelAttribute("c", c).build()
                    : ConsoleViews.page(exchange, "console/confirm", null, "enroll").modelAttribute("c", c).build();
        });
    }

    @PostMapping("/console/enroll/{id}/revoke")
    Mono<Rendering> revoke(Caller caller, @PathVariable String id) {
        return invitations.revoke(caller, id).thenReturn(Rendering.redirectTo("/console/enroll?revoked=" + id).build());
    }

    /** The person picker's suggestions: people whose name or email contains what was typed. */
    @GetMapping("/console/people")
    Mono<Rendering> people(Caller caller, @RequestParam(name = "person", defaultValue = "") String text) {
        Flux<UserSummary> found = text.trim().length() < 2 ? Flux.empty()
                : users.matching(caller.orgId(), text.length() > 100 ? text.substring(0, 100) : text, 10);
        return found.filter(u -> !u.disabled()).collectList()
                .map(list -> Rendering.view("console/enroll :: people").modelAttribute("people", list).build());
    }

    private Mono<Rendering> render(Caller caller, ServerWebExchange exchange, String fragment, int page,
            Outcome outcome, String revoked) {
        return invitations.list(caller, page, PAGE_SIZE).flatMap(p -> users.displayNames(caller.orgId(),
                        p.items().stream().map(InvitationView::assignedUserId).filter(java.util.Objects::nonNull)
                                .collect(java.util.stream.Collectors.toSet()))
                        .map(names -> p.items().stream().map(i -> new Row(i, i.assignedUserId() == null ? ""
                                : names.getOrDefault(i.assignedUserId(), i.assignedUserId()))).toList())
                        .map(rows -> ConsoleViews.page(exchange, "console/enroll", fragment, "enroll")
                                .status(outcome.errors().isEmpty() && outcome.refused().isEmpty() ? HttpStatus.OK
                                        : HttpStatus.BAD_REQUEST)
                                .modelAttribute("outcome", outcome)
                                .modelAttribute("form", outcome.form())
                                .modelAttribute("errors", outcome.errors())
                                .modelAttribute("expiry", EXPIRY)
                                .modelAttribute("invitations", p)
                                .modelAttribute("rows", rows)
                                .modelAttribute("revoked", revoked == null ? "" : revoked)
                                .build()));
    }

    private Mono<String> person(Caller caller, String userId) {
        return userId == null ? Mono.just("") : users.find(caller.orgId(), userId).map(ConsoleViews::name)
                .defaultIfEmpty(userId);
    }

    /** The person by email; an empty id when none was named; a field error when nobody has that email. */
    private Mono<String> resolvePerson(Caller caller, String email, Map<String, String> errors) {
        if (email.isEmpty()) {
            return Mono.just("");
        }
        if (email.length() > 254) {
            errors.put("person", "An email address is at most 254 characters");
            return Mono.just("");
        }
        return users.findByEmail(caller.orgId(), email).filter(u -> !u.disabled()).map(UserSummary::id)
                .switchIfEmpty(Mono.fromCallable(() -> {
                    errors.put("person", "Nobody in your organisation has this email address");
                    return "";
                }));
    }

    /** The form as the service's request, with the record's own constraints checked (the API's rules). */
    private NewInvitation toInvitation(InvitationForm posted, String personId, Map<String, String> errors) {
        Ownership ownership = parse(Ownership.class, posted.ownership(), "ownership", errors);
        DevicePlatform platform = parse(DevicePlatform.class, posted.platform(), "platform", errors);
        Integer uses = number(posted.maxUses(), "maxUses", errors);
        Integer hours = number(posted.expiresInHours(), "expiresInHours", errors);
        List<String> groups = posted.groups() == null || posted.groups().isBlank() ? List.of()
                : Arrays.stream(posted.groups().split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
        NewInvitation body = new NewInvitation(ownership, platform, uses, personId.isEmpty() ? null : personId,
                groups, hours);
        for (ConstraintViolation<NewInvitation> v : validator.validate(body)) {
            String field = v.getPropertyPath().toString().replaceAll("\\[.*", "");
            errors.putIfAbsent(field, field.equals("groups")
                    ? "Up to 20 groups, each 1–64 letters, digits, spaces, dots, dashes or underscores"
                    : v.getMessage());
        }
        return body;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, Map<String, String> errors) {
        try {
            return value == null || value.isBlank() ? null : Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.put(field, "Choose one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
            return null;
        }
    }

    private static Integer number(String value, String field, Map<String, String> errors) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            errors.put(field, "Enter a whole number");
            return null;
        }
    }

    private static Map<Integer, String> expiry() {
        Map<Integer, String> choices = new LinkedHashMap<>();
        choices.put(1, "1 hour");
        choices.put(8, "8 hours");
        choices.put(24, "1 day");
        choices.put(72, "3 days");
        choices.put(168, "7 days");
        choices.put(720, "30 days");
        return choices;
    }
}
