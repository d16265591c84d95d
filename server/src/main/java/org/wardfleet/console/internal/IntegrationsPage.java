package org.wardfleet.console.internal;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.wardfleet.events.WebhookStatus;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.push.FcmStatus;
import org.wardfleet.wctp.WctpSenderAdministration;
import org.wardfleet.wctp.WctpSenderAdministration.NewSender;
import org.wardfleet.wctp.WctpSenderAdministration.SenderChange;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import reactor.core.publisher.Mono;

/**
 * Integrations: the WCTP sending systems (nurse call, alarms) with their allowed recipients and response URLs —
 * registered, changed and given a new security code by ADMIN, the code shown once and kept only as a salted hash —,
 * the outbound paging gateway's last success and failure, the security-event webhook and whether FCM is configured.
 * Everything through the features' own services ({@link WctpSenderAdministration}, {@link WebhookStatus},
 * {@link FcmStatus}), so roles, checks and audit are the API's.
 */
@Controller
class IntegrationsPage {

    static final int PAGE_SIZE = 25;

    private final WctpSenderAdministration senders;
    private final WebhookStatus webhook;
    private final FcmStatus fcm;
    private final Validator validator;

    IntegrationsPage(WctpSenderAdministration senders, WebhookStatus webhook, FcmStatus fcm, Validator validator) {
        this.senders = senders;
        this.webhook = webhook;
        this.fcm = fcm;
        this.validator = validator;
    }

    /** The sender form as posted: lists one item a line. */
    record SenderForm(String senderId, String allowedRecipients, String responseUrls, String certificate) {

        static SenderForm blank() {
            return new SenderForm("", "", "", "");
        }

        static SenderForm of(WctpSenderAdministration.Registered s) {
            return new SenderForm(s.senderId(), String.join("\n", s.allowedRecipients()),
                    String.join("\n", s.responseUrls()), s.clientCertificateSha256() == null ? ""
                            : s.clientCertificateSha256());
        }

        static List<String> lines(String text) {
            return text == null ? List.of() : Arrays.stream(text.split("[\\r\\n,]+")).map(String::trim)
                    .filter(l -> !l.isEmpty()).toList();
        }

        String pin() {
            return certificate == null || certificate.isBlank() ? null : certificate.trim();
        }
    }

    /** A security code to show this once (a new sender's, or a new one), with its sender. */
    record ShownCode(String senderId, String code, boolean registered) {
    }

    @GetMapping("/console/integrations")
    Mono<Rendering> show(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(required = false) String changed, ServerWebExchange exchange) {
        return render(caller, exchange, Math.max(0, page), SenderForm.blank(), Map.of(), "", null,
                changed == null ? "" : changed);
    }

    /** Registers a sender with a code made here and shown once, in this answer only. */
    @PostMapping("/console/integrations/wctp")
    Mono<Rendering> register(Caller caller, SenderForm form, ServerWebExchange exchange) {
        Map<String, String> errors = new LinkedHashMap<>();
        String code = WctpSenderAdministration.newCode();
        NewSender body = new NewSender(form.senderId() == null ? null : form.senderId().trim(), code,
                SenderForm.lines(form.allowedRecipients()), SenderForm.lines(form.responseUrls()), form.pin());
        check(body, errors);
        if (!errors.isEmpty()) {
            return render(caller, exchange, 0, form, errors, "", null, "");
        }
        return senders.register(caller, body)
                .flatMap(s -> render(caller, exchange, 0, SenderForm.blank(), Map.of(), "",
                        new ShownCode(s.senderId(), code, true), ""))
                .onErrorResume(ProblemException.class, refused -> refused.getStatusCode().value() == 403
                        ? Mono.error(refused)
                        : render(caller, exchange, 0, form, errors, refused.getBody().getDetail(), null, ""));
    }

    /** One sender: its settings, and for ADMIN the form that changes them. */
    @GetMapping("/console/integrations/wctp/{id}")
    Mono<Rendering> sender(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return senders.find(caller, id).map(s -> senderPage(exchange, s, SenderForm.of(s), Map.of(), "")
                .status(HttpStatus.OK).build());
    }

    @PostMapping("/console/integrations/wctp/{id}")
    Mono<Rendering> change(Caller caller, @PathVariable String id, SenderForm form, ServerWebExchange exchange) {
        Map<String, String> errors = new LinkedHashMap<>();
        SenderChange body = new SenderChange(SenderForm.lines(form.allowedRecipients()),
                SenderForm.lines(form.responseUrls()), form.pin());
        for (ConstraintViolation<SenderChange> v : validator.validate(body)) {
            errors.putIfAbsent(field(v.getPropertyPath().toString()), message(field(v.getPropertyPath().toString()),
                    v.getMessage()));
        }
        return senders.find(caller, id).flatMap(s -> !errors.isEmpty()
                ? Mono.just(senderPage(exchange, s, form, errors, "").status(HttpStatus.BAD_REQUEST).build())
                : senders.change(caller, id, body)
                        .map(changed -> Rendering.redirectTo("/console/integrations?changed=" + id).build())
                        .onErrorResume(ProblemException.class, refused -> refused.getStatusCode().value() == 403
                                ? Mono.error(refused)
                                : Mono.just(senderPage(exchange, s, form, errors, refused.getBody().getDetail())
                                        .status(HttpStatus.BAD_REQUEST).build())));
    }

    @GetMapping("/console/integrations/wctp/{id}/confirm-code")
    Mono<Rendering> confirmCode(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return senders.find(caller, id).map(s -> {
            List<String[]> facts = new ArrayList<>();
            facts.add(new String[] {"Sending system", s.senderId()});
            facts.add(new String[] {"May page", String.join(", ", s.allowedRecipients())});
            facts.add(new String[] {"Code last changed", s.securityCodeChangedAt() == null ? "never (since registered)"
                    : s.securityCodeChangedAt().toString()});
            Confirmation c = new Confirmation("Give " + s.senderId() + " a new security code?", facts,
                    "Its current code stops working at once: pages it sends are refused until the new code, shown "
                            + "next and only once, is entered in that system.",
                    "/console/integrations/wctp/" + s.senderId() + "/code", List.of(), "Make a new code", true,
                    "/console/integrations");
            return Htmx.request(exchange) ? Rendering.view("console/confirm :: confirm").modelAttribute("c", c).build()
                    : ConsoleViews.page(exchange, "console/confirm", null, "integrations").modelAttribute("c", c)
                            .build();
        });
    }

    /** The confirmed rotation: the new code, shown in this answer only. */
    @PostMapping("/console/integrations/wctp/{id}/code")
    Mono<Rendering> rotate(Caller caller, @PathVariable String id, ServerWebExchange exchange) {
        return senders.changeCode(caller, id, null).flatMap(changed -> render(caller, exchange, 0,
                SenderForm.blank(), Map.of(), "", new ShownCode(id, changed.securityCode(), false), ""));
    }

    private Mono<Rendering> render(Caller caller, ServerWebExchange exchange, int page, SenderForm form,
            Map<String, String> errors, String refused, ShownCode shown, String changed) {
        return Mono.zip(senders.list(caller, page, PAGE_SIZE), senders.gateway(caller), webhook.status(caller))
                .map(t -> ConsoleViews.page(exchange, "console/integrations", null, "integrations")
                        .status(errors.isEmpty() && refused.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST)
                        .modelAttribute("senders", t.getT1())
                        .modelAttribute("gateway", t.getT2())
                        .modelAttribute("webhook", t.getT3())
                        .modelAttribute("fcmConfigured", fcm.configured())
                        .modelAttribute("fcmProject", fcm.projectId() == null ? "" : fcm.projectId())
                        .modelAttribute("form", form)
                        .modelAttribute("errors", errors)
                        .modelAttribute("refused", refused)
                        .modelAttribute("shown", shown)
                        .modelAttribute("changed", changed)
                        .build());
    }

    private Rendering.Builder<?> senderPage(ServerWebExchange exchange, WctpSenderAdministration.Registered s,
            SenderForm form, Map<String, String> errors, String refused) {
        return ConsoleViews.page(exchange, "console/integrations-sender", null, "integrations")
                .modelAttribute("s", s).modelAttribute("form", form).modelAttribute("errors", errors)
                .modelAttribute("refused", refused);
    }

    private void check(NewSender body, Map<String, String> errors) {
        for (ConstraintViolation<NewSender> v : validator.validate(body)) {
            String field = field(v.getPropertyPath().toString());
            errors.putIfAbsent(field, message(field, v.getMessage()));
        }
    }

    private static String field(String path) {
        String field = path.replaceAll("[\\[.<].*", "");
        return field.equals("clientCertificateSha256") ? "certificate" : field;
    }

    private static String message(String field, String fallback) {
        return switch (field) {
            case "senderId" -> "1–64 letters, digits, dots, dashes or underscores, as the sending system sends it";
            case "allowedRecipients" -> "At least one, up to 50, each at most 128 characters (e.g. role:* or "
                    + "user:nurse@hospital.example)";
            case "responseUrls" -> "Up to 5 addresses starting with https:// (or http://), one a line";
            case "certificate" -> "The SHA-256 fingerprint of the system's client certificate: 64 hex digits, colons "
                    + "allowed";
            default -> fallback;
        };
    }
}
