package org.wardfleet.wctp.internal;

import java.net.URI;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Element;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.oncall.Pages;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * {@code POST /wctp}: WCTP 1.3 inbound. Answers are always HTTP 200 with a {@code wctp-Confirmation} (success 200,
 * or a failure with the standard code), as the protocol expects. {@code POST /api/v1/wctp/senders} registers a sending
 * system.
 */
@RestController
class WctpController {

    static final MediaType XML = MediaType.parseMediaType("text/xml;charset=UTF-8");
    static final int MAX_TEXT = 4096;

    private final WctpSenders senders;
    private final Pages pages;
    private final UserDirectory users;
    private final AuditLog audit;

    WctpController(WctpSenders senders, Pages pages, UserDirectory users, AuditLog audit) {
        this.senders = senders;
        this.pages = pages;
        this.users = users;
        this.audit = audit;
    }

    record NewSender(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String senderId,
            @NotBlank @Size(min = 16, max = 128) String securityCode,
            @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 128) String> allowedRecipients) {

        @Override
        public String toString() {
            return "NewSender[" + senderId + ", ***]";
        }
    }

    record Created(String id) {
    }

    @PostMapping("/api/v1/wctp/senders")
    Mono<ResponseEntity<Created>> register(Caller caller, @Valid @RequestBody NewSender body) {
        caller.requireAny(Role.ADMIN);
        return senders.register(caller.orgId(), body.senderId(), body.securityCode(), body.allowedRecipients())
                .onErrorResume(Documents::isDuplicateKey, taken -> Mono.error(ProblemType.CONFLICT.exception(
                        "Sender id %s is taken", body.senderId())))
                .flatMap(s -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "wctp.sender.register", s.senderId(), Outcome.SUCCESS)).thenReturn(s))
                .map(s -> ResponseEntity.created(URI.create("/api/v1/wctp/senders/" + s.senderId()))
                        .body(new Created(s.senderId())));
    }

    @PostMapping(value = "/wctp", produces = "text/xml")
    Mono<ResponseEntity<String>> inbound(@RequestBody(required = false) byte[] body) {
        Element root;
        try {
            root = WctpXml.parse(body == null ? new byte[0] : body);
        } catch (WctpXml.Refused r) {
            return answer(WctpXml.confirmation(r.code, r.getMessage(), false));
        }
        if (WctpXml.child(root, "wctp-VersionQuery") != null) {
            return answer(WctpXml.versionResponse());
        }
        Element submit = WctpXml.child(root, "wctp-SubmitRequest");
        if (submit == null) {
            return answer(WctpXml.confirmation(302, "Operation not supported by this responder", false));
        }
        return submit(submit).onErrorResume(WctpXml.Refused.class, r -> Mono.just(
                        WctpXml.confirmation(r.code, r.getMessage(), false)))
                .flatMap(this::answer);
    }

    private Mono<String> submit(Element submit) {
        Element header = WctpXml.child(submit, "wctp-SubmitHeader");
        Element payload = WctpXml.child(submit, "wctp-Payload");
        Element originator = header == null ? null : WctpXml.child(header, "wctp-Originator");
        Element recipient = header == null ? null : WctpXml.child(header, "wctp-Recipient");
        if (originator == null || recipient == null || payload == null) {
            return Mono.error(new WctpXml.Refused(302, "Originator, recipient and payload are required"));
        }
        Element control = WctpXml.child(header, "wctp-MessageControl");
        String text = text(payload);
        if (text == null || text.isBlank()) {
            return Mono.error(new WctpXml.Refused(302, "Empty message"));
        }
        if (text.length() > MAX_TEXT) {
            return Mono.error(new WctpXml.Refused(411, "Message too long"));
        }
        String senderId = originator.getAttribute("senderID");
        String code = originator.getAttribute("securityCode");
        String recipientId = recipient.getAttribute("recipientID").trim();
        String messageId = control == null ? "" : control.getAttribute("messageID");
        String priority = priority(control == null ? "" : control.getAttribute("deliveryPriority"));
        return senders.find(senderId)
                .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(401, "Invalid senderID")))
                .flatMap(sender -> {
                    if (!sender.codeMatches(code)) {
                        return Mono.error(new WctpXml.Refused(402, "Invalid security code"));
                    }
                    if (!sender.allows(recipientId)) {
                        return Mono.error(new WctpXml.Refused(403, "Recipient not allowed for this sender"));
                    }
                    String key = "wctp-" + sender.senderId() + "-" + (messageId.isBlank()
                            ? java.util.UUID.randomUUID() : messageId);
                    return target(sender.orgId(), recipientId)
                            .flatMap(t -> pages.page(sender.orgId(), null, t[0], t[1], text, priority, key)
                                    .onErrorResume(e -> Mono.error(new WctpXml.Refused(403,
                                            "Cannot page this recipient now"))))
                            .flatMap(pageId -> audit.record(AuditEvent.of(sender.orgId(),
                                    Actor.anonymous("wctp:" + sender.senderId()), "wctp.submit", pageId,
                                    Outcome.SUCCESS).withDetail("recipient", recipientId)).thenReturn(pageId));
                })
                .map(pageId -> WctpXml.confirmation(200, "Accepted", true));
    }

    private Mono<String[]> target(String orgId, String recipientId) {
        if (recipientId.startsWith("role:")) {
            return pages.roleIdByName(orgId, recipientId.substring(5))
                    .map(id -> new String[] {"role", id})
                    .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(403, "Unknown role")));
        }
        if (recipientId.startsWith("user:")) {
            return users.findByEmail(orgId, recipientId.substring(5)).filter(u -> !u.disabled())
                    .map(u -> new String[] {"user", u.id()})
                    .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(403, "Unknown user")));
        }
        // pager numbers need the outbound pager gateway, which is not built yet
        return Mono.error(new WctpXml.Refused(403, "Unsupported recipient"));
    }

    private static String text(Element payload) {
        Element alpha = WctpXml.child(payload, "wctp-Alphanumeric");
        if (alpha != null) {
            return alpha.getTextContent();
        }
        Element mcr = WctpXml.child(payload, "wctp-MCR");
        Element message = mcr == null ? null : WctpXml.child(mcr, "wctp-Message");
        return message == null ? null : message.getTextContent();
    }

    /** deliveryPriority HIGH → STAT, NORMAL (or absent) → URGENT, LOW → ROUTINE. */
    static String priority(String delivery) {
        switch (delivery.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "HIGH":
                return "STAT";
            case "LOW":
                return "ROUTINE";
            default:
                return "URGENT";
        }
    }

    private Mono<ResponseEntity<String>> answer(String xml) {
        return Mono.just(ResponseEntity.ok().contentType(XML).body(xml));
    }
}
