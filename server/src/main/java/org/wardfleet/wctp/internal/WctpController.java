package org.wardfleet.wctp.internal;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Element;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.identity.UserDirectory;
import org.wardfleet.messaging.Priority;
import org.wardfleet.messaging.Recipient;
import org.wardfleet.oncall.Pages;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /wctp}: WCTP 1.3 inbound. Answers are always HTTP 200 with a {@code wctp-Confirmation} (success 200,
 * or a failure with the standard code), as the protocol expects. Sending systems are registered through
 * {@link WctpSenderController}.
 */
@RestController
class WctpController {

    static final MediaType XML = MediaType.parseMediaType("text/xml;charset=UTF-8");
    static final int MAX_TEXT = 4096;
    static final int MAX_CHOICES = 8;

    private final WctpSenders senders;
    private final WctpSubmissions submissions;
    private final WctpGatewayClient gateway;
    private final Pages pages;
    private final UserDirectory users;
    private final AuditLog audit;
    private final Clock clock;

    WctpController(WctpSenders senders, WctpSubmissions submissions,
            WctpGatewayClient gateway, Pages pages, UserDirectory users, AuditLog audit, Clock clock) {
        this.senders = senders;
        this.submissions = submissions;
        this.gateway = gateway;
        this.pages = pages;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    @Operation(summary = "WCTP 1.3: submit a page, query its status, ask the version (XML in, XML out)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "A wctp-Operation document (WCTP 1.3)",
                    content = @Content(mediaType = "text/xml", schema = @Schema(type = "string"))))
    @ApiResponse(responseCode = "200",
            description = "Always 200 with a wctp-Confirmation or response; failures carry WCTP codes",
            content = @Content(mediaType = "text/xml", schema = @Schema(type = "string")))
    @Problems(value = {"413 payload-too-large"}, usual = false)
    @PostMapping(value = "/wctp", produces = "text/xml")
    Mono<ResponseEntity<String>> inbound(ServerHttpRequest request) {
        // read at most 64 KB + 1 byte: a bigger document is refused without being held in memory
        return DataBufferUtils.join(request.getBody(), WctpXml.MAX_BYTES + 1)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> handle(bytes, request.getSslInfo()))
                .onErrorResume(DataBufferLimitException.class, tooBig -> answer(WctpXml.confirmation(301,
                        "Message over 64 KB", false)))
                // anything else (storage or audit unavailable, say) is temporary for the sender: it resends the same
                // messageID, which pages nobody twice — a WCTP answer, never an HTTP problem document
                .onErrorResume(e -> !(e instanceof DataBufferLimitException), e -> {
                    org.slf4j.LoggerFactory.getLogger(WctpController.class).warn(
                            "WCTP submission answered 604 (temporary): {}", e.toString());
                    return answer(WctpXml.confirmation(604, "Temporarily unable to accept; resend later", false));
                })
                // never an empty 200: a sender must always learn whether its message was taken
                .switchIfEmpty(Mono.defer(() -> answer(WctpXml.confirmation(604,
                        "Internal error: the message was not accepted", false))));
    }

    private Mono<ResponseEntity<String>> handle(byte[] body, SslInfo tls) {
        Element root;
        try {
            root = WctpXml.parse(body);
        } catch (WctpXml.Refused r) {
            return answer(WctpXml.confirmation(r.code, r.getMessage(), false));
        }
        if (WctpXml.child(root, "wctp-VersionQuery") != null) {
            return answer(WctpXml.versionResponse());
        }
        Element submit = WctpXml.child(root, "wctp-SubmitRequest");
        if (submit != null) {
            return Mono.fromCallable(() -> Inbound.of(submit, false)).flatMap(in -> submit(in, tls))
                    .map(trackingNumber -> WctpXml.confirmation(200, "Accepted", true))
                    .onErrorResume(WctpXml.Refused.class, r -> Mono.just(
                            WctpXml.confirmation(r.code, r.getMessage(), false)))
                    .flatMap(this::answer);
        }
        Element client = WctpXml.child(root, "wctp-SubmitClientMessage");
        if (client != null) {
            return Mono.fromCallable(() -> Inbound.of(client, true)).flatMap(in -> submit(in, tls))
                    .map(WctpXml::submitClientResponse)
                    .onErrorResume(WctpXml.Refused.class, r -> Mono.just(
                            WctpXml.confirmation(r.code, r.getMessage(), false)))
                    .flatMap(this::answer);
        }
        Element query = WctpXml.child(root, "wctp-ClientQuery");
        if (query != null) {
            return clientQuery(query, tls).onErrorResume(WctpXml.Refused.class, r -> Mono.just(
                    WctpXml.confirmation(r.code, r.getMessage(), false))).flatMap(this::answer);
        }
        return answer(WctpXml.confirmation(302, "Operation not supported by this responder", false));
    }

    /**
     * A submission as both {@code wctp-SubmitRequest} and {@code wctp-SubmitClientMessage} carry it (their header
     * elements differ only in name); {@code sendResponsesToID} is read from the message control or the originator.
     */
    record Inbound(String senderId, String securityCode, String recipientId, String messageId, Priority priority,
            boolean notifyDelivered, boolean notifyRead, String sendResponsesTo, String text, List<String> choices) {

        static Inbound of(Element operation, boolean client) throws WctpXml.Refused {
            Element header = WctpXml.child(operation, client ? "wctp-SubmitClientHeader" : "wctp-SubmitHeader");
            Element payload = WctpXml.child(operation, "wctp-Payload");
            Element originator = header == null ? null
                    : WctpXml.child(header, client ? "wctp-ClientOriginator" : "wctp-Originator");
            Element recipient = header == null ? null : WctpXml.child(header, "wctp-Recipient");
            if (originator == null || recipient == null || payload == null) {
                throw new WctpXml.Refused(302, "Originator, recipient and payload are required");
            }
            Element control = WctpXml.child(header, client ? "wctp-ClientMessageControl" : "wctp-MessageControl");
            String text;
            List<String> choices = List.of();
            Element alpha = WctpXml.child(payload, "wctp-Alphanumeric");
            Element mcr = WctpXml.child(payload, "wctp-MCR");
            if (alpha != null) {
                text = alpha.getTextContent();
            } else if (mcr != null) {
                Element message = WctpXml.child(mcr, "wctp-Message");
                text = message == null ? null : message.getTextContent();
                choices = WctpXml.children(mcr, "wctp-Response").stream().map(e -> e.getTextContent().trim())
                        .filter(c -> !c.isEmpty()).distinct().toList();
                if (choices.isEmpty() || choices.size() > MAX_CHOICES
                        || choices.stream().anyMatch(c -> c.length() > 64)) {
                    throw new WctpXml.Refused(302, "An MCR offers 1 to " + MAX_CHOICES
                            + " responses of up to 64 characters");
                }
            } else {
                text = null;
            }
            if (text == null || text.isBlank()) {
                throw new WctpXml.Refused(302, "Empty message");
            }
            if (text.length() > MAX_TEXT) {
                throw new WctpXml.Refused(411, "Message too long");
            }
            String sendTo = attr(control, "sendResponsesToID");
            if (sendTo.isEmpty()) {
                sendTo = attr(originator, "sendResponsesToID");
            }
            return new Inbound(originator.getAttribute("senderID"), originator.getAttribute("securityCode"),
                    recipient.getAttribute("recipientID").trim(), attr(control, "messageID"),
                    WctpController.priority(attr(control, "deliveryPriority")), "true".equalsIgnoreCase(attr(control,
                    "notifyWhenDelivered")), "true".equalsIgnoreCase(attr(control, "notifyWhenRead")), sendTo,
                    text, choices);
        }

        private static String attr(Element e, String name) {
            return e == null ? "" : e.getAttribute(name).trim();
        }
    }

    /** Authenticates the sender: known id, right code (constant time), and its pinned client certificate if any. */
    private Mono<WctpSenders.Sender> authenticate(String senderId, String code, SslInfo tls) {
        return senders.find(senderId)
                .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(401, "Invalid senderID")))
                .flatMap(sender -> {
                    if (code == null || !sender.codeMatches(code)) {
                        return Mono.error(new WctpXml.Refused(402, "Invalid security code"));
                    }
                    if (sender.clientCertificateSha256() != null && !pinned(sender.clientCertificateSha256(), tls)) {
                        return Mono.error(new WctpXml.Refused(401,
                                "Client certificate does not match the sender's registration"));
                    }
                    return Mono.just(sender);
                });
    }

    static boolean pinned(String pin, SslInfo tls) {
        X509Certificate[] chain = tls == null ? null : tls.getPeerCertificates();
        if (chain == null || chain.length == 0) {
            return false;
        }
        try {
            byte[] actual = java.security.MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            return java.security.MessageDigest.isEqual(java.util.HexFormat.of().formatHex(actual)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** Accepts a submission; returns its tracking number (the page id, or the pager message's reference). */
    private Mono<String> submit(Inbound in, SslInfo tls) {
        return authenticate(in.senderId(), in.securityCode(), tls).flatMap(sender -> {
            if (!sender.allows(in.recipientId())) {
                return Mono.error(new WctpXml.Refused(403, "Recipient not allowed for this sender"));
            }
            String responseUrl = sender.responseUrl(in.sendResponsesTo());
            if ("".equals(responseUrl)) {
                return Mono.error(new WctpXml.Refused(403, "sendResponsesToID is not registered for this sender"));
            }
            String messageId = in.messageId().isBlank() ? java.util.UUID.randomUUID().toString() : in.messageId();
            String key = "wctp-" + sender.senderId() + "-" + messageId;
            if (in.recipientId().matches("[0-9]{3,20}")) {
                return toPager(sender, in, key);
            }
            return target(sender.orgId(), in.recipientId())
                    .flatMap(to -> pages.page(sender.orgId(), null, to, in.text(), in.priority(), in.choices(),
                                    key)
                            .switchIfEmpty(Mono.error(() -> new IllegalStateException("No page id")))
                            // a refusal (4xx: no route, nobody on call) is final for the sender; anything else —
                            // storage or audit unavailable, an unexpected failure — is temporary (6xx), so the
                            // sending system resends the same messageID, which pages nobody twice
                            .onErrorResume(e -> Mono.error(e instanceof ProblemException p
                                    && p.getStatusCode().is4xxClientError()
                                            ? new WctpXml.Refused(403, "Cannot page this recipient now")
                                            : new WctpXml.Refused(604, "Temporarily unable to page; resend later"))))
                    .flatMap(pageId -> submissions.insert(new WctpSubmissions.Submission(pageId, sender.orgId(),
                                    sender.senderId(), messageId, in.recipientId(), in.notifyDelivered(),
                                    in.notifyRead(), responseUrl, in.choices(), List.of(), clock.instant()))
                            .then(audit.record(AuditEvent.of(sender.orgId(),
                                    Actor.anonymous("wctp:" + sender.senderId()), "wctp.submit", pageId,
                                    Outcome.SUCCESS).withDetail("recipient", in.recipientId())))
                            .thenReturn(pageId));
        });
    }

    /** A pager number: straight on to the hospital's paging gateway, with only what the pager policy allows. */
    private Mono<String> toPager(WctpSenders.Sender sender, Inbound in, String key) {
        if (!gateway.configured()) {
            return Mono.error(new WctpXml.Refused(403, "No pager gateway is configured for pager numbers"));
        }
        String reference = java.util.UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        String text = gateway.policyText(in.priority(), reference.substring(0, 8), in.text());
        return gateway.send(in.recipientId(), text, reference, in.priority() == Priority.STAT)
                .flatMap(outcome -> audit.record(AuditEvent.of(sender.orgId(),
                                Actor.anonymous("wctp:" + sender.senderId()), "wctp.pager", reference,
                                outcome.accepted() ? Outcome.SUCCESS : Outcome.FAILURE)
                                .withDetail("code", Integer.toString(outcome.code())))
                        .then(outcome.accepted() ? Mono.just(reference)
                                : Mono.error(new WctpXml.Refused(outcome.code() >= 400 && outcome.code() < 600
                                        ? outcome.code() : 604, "Pager gateway: " + outcome.text()))));
    }

    /** {@code wctp-ClientQuery}: the notifications and replies so far for one of the sender's tracking numbers. */
    private Mono<String> clientQuery(Element query, SslInfo tls) {
        String senderId = query.getAttribute("senderID");
        String trackingNumber = query.getAttribute("trackingNumber").trim();
        Mono<WctpSenders.Sender> who = query.hasAttribute("securityCode")
                ? authenticate(senderId, query.getAttribute("securityCode"), tls)
                : senders.find(senderId).switchIfEmpty(Mono.error(() -> new WctpXml.Refused(401, "Invalid senderID")))
                        .filter(s -> s.clientCertificateSha256() == null || pinned(s.clientCertificateSha256(), tls))
                        .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(401, "Client certificate required")));
        return who.flatMap(sender -> submissions.find(sender.senderId(), trackingNumber))
                .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(403, "Unknown trackingNumber")))
                .flatMap(s -> submissions.statuses(s.pageId()).map(st -> new String[] {st.kind(), st.answer(),
                        WctpXml.timestamp(st.at())}).collectList()
                        .map(events -> WctpXml.clientQueryResponse(trackingNumber, events)));
    }

    private Mono<Recipient> target(String orgId, String recipientId) {
        if (recipientId.startsWith("role:")) {
            return pages.roleIdByName(orgId, recipientId.substring(5))
                    .<Recipient>map(Recipient.OnCallRole::new)
                    .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(403, "Unknown role")));
        }
        if (recipientId.startsWith("user:")) {
            return users.findByEmail(orgId, recipientId.substring(5)).filter(u -> !u.disabled())
                    .<Recipient>map(u -> new Recipient.User(u.id()))
                    .switchIfEmpty(Mono.error(() -> new WctpXml.Refused(403, "Unknown user")));
        }
        return Mono.error(new WctpXml.Refused(403, "Unsupported recipient"));
    }

    /** deliveryPriority HIGH → STAT, NORMAL (or absent) → URGENT, LOW → ROUTINE. */
    static Priority priority(String delivery) {
        switch (delivery.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "HIGH":
                return Priority.STAT;
            case "LOW":
                return Priority.ROUTINE;
            default:
                return Priority.URGENT;
        }
    }

    private Mono<ResponseEntity<String>> answer(String xml) {
        return Mono.just(ResponseEntity.ok().contentType(XML).body(xml));
    }
}
