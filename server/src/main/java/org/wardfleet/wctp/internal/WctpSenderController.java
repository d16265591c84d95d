package org.wardfleet.wctp.internal;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.mongo.Documents;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.PageRequest;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The sending systems (nurse call, alarms) allowed to page over WCTP: registered, listed, changed and given a new
 * security code by an {@code ADMIN}; {@code SECURITY} reads them. A code is never shown again after it is set: only
 * its salted hash is kept. Response URLs pass the same checks as at registration ({@link ResponseUrlTargets}).
 */
@RestController
class WctpSenderController {

    static final String URL = "https?://[^\\s]+";
    static final String CERT_SHA256 = "([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}";

    private final WctpSenders senders;
    private final ResponseUrlTargets targets;
    private final AuditLog audit;
    private final Clock clock;

    WctpSenderController(WctpSenders senders, ResponseUrlTargets targets, AuditLog audit, Clock clock) {
        this.senders = senders;
        this.targets = targets;
        this.audit = audit;
        this.clock = clock;
    }

    record NewSender(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String senderId,
            @NotBlank @Size(min = 16, max = 128) String securityCode,
            @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 128) String> allowedRecipients,
            @Size(max = 5) List<@NotBlank @Size(max = 512) @Pattern(regexp = URL) String> responseUrls,
            @Pattern(regexp = CERT_SHA256) String clientCertificateSha256) {

        @Override
        public String toString() {
            return "NewSender[" + senderId + ", ***]";
        }
    }

    @Schema(name = "WctpSenderCreated")
    record Created(String id) {
    }

    /** Replaces what the sender may do: all three fields (an absent one is empty: no URLs, no certificate pin). */
    record SenderChange(@NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 128) String> allowedRecipients,
            @Size(max = 5) List<@NotBlank @Size(max = 512) @Pattern(regexp = URL) String> responseUrls,
            @Pattern(regexp = CERT_SHA256) String clientCertificateSha256) {
    }

    /** Omit {@code securityCode} to have one generated (returned once, in the answer). */
    record CodeChange(@Size(min = 16, max = 128) String securityCode) {

        @Override
        public String toString() {
            return "CodeChange[***]";
        }
    }

    /** {@code securityCode}: only when the server generated it, and only in this answer. */
    record CodeChanged(String senderId, String securityCode, java.time.Instant securityCodeChangedAt) {

        @Override
        public String toString() {
            return "CodeChanged[" + senderId + ", ***]";
        }
    }

    record SenderPage(List<WctpSenders.Registered> items, int page, int size, long total) {
    }

    @Operation(summary = "Register a WCTP sending system (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The sender")
    @Problems({"403 forbidden", "400 response-url-refused", "409 conflict"})
    @PostMapping("/api/v1/wctp/senders")
    Mono<ResponseEntity<Created>> register(Caller caller, @Valid @RequestBody NewSender body) {
        caller.requireAny(Role.ADMIN);
        return targets.checkRegistered(body.responseUrls())
                .then(Mono.defer(() -> senders.register(caller.orgId(), body.senderId(), body.securityCode(),
                        body.allowedRecipients(), body.responseUrls(), body.clientCertificateSha256())))
                .onErrorResume(Documents::isDuplicateKey, taken -> Mono.error(ProblemType.CONFLICT.exception(
                        "Sender id %s is taken", body.senderId())))
                .flatMap(s -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "wctp.sender.register", s.senderId(), Outcome.SUCCESS)).thenReturn(s))
                .map(s -> ResponseEntity.created(URI.create("/api/v1/wctp/senders/" + s.senderId()))
                        .body(new Created(s.senderId())));
    }

    @Operation(summary = "List WCTP senders (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/wctp/senders")
    Mono<SenderPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        PageRequest request = PageRequest.of(page, size);
        return senders.list(caller.orgId(), request.skip(), request.size()).collectList()
                .zipWith(senders.count(caller.orgId()))
                .map(t -> new SenderPage(t.getT1(), page, size, t.getT2()));
    }

    @Operation(summary = "A WCTP sender, never its code (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/wctp/senders/{id}")
    Mono<WctpSenders.Registered> get(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return senders.find(caller.orgId(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    @Operation(summary = "Change a WCTP sender's allowed recipients, response URLs, certificate pin (ADMIN)")
    @Problems({"403 forbidden", "400 response-url-refused"})
    @PutMapping("/api/v1/wctp/senders/{id}")
    Mono<WctpSenders.Registered> change(Caller caller, @PathVariable String id,
            @Valid @RequestBody SenderChange body) {
        caller.requireAny(Role.ADMIN);
        return senders.find(caller.orgId(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(before -> targets.checkRegistered(body.responseUrls())
                        .then(Mono.defer(() -> senders.change(caller.orgId(), id, body.allowedRecipients(),
                                body.responseUrls(), body.clientCertificateSha256()))))
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(s -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                                "wctp.sender.change", id, Outcome.SUCCESS)
                        .withDetail("allowedRecipients", s.allowedRecipients().toString())
                        .withDetail("responseUrls", Integer.toString(s.responseUrls().size()))
                        .withDetail("certificatePinned", Boolean.toString(s.clientCertificateSha256() != null)))
                        .thenReturn(s));
    }

    /** A new security code: the old one stops working at once (the sending system must be given the new one). */
    @Operation(summary = "Give a WCTP sender a new security code (ADMIN)")
    @Problems({"403 forbidden"})
    @PostMapping("/api/v1/wctp/senders/{id}/security-code")
    Mono<CodeChanged> changeCode(Caller caller, @PathVariable String id,
            @Valid @RequestBody(required = false) CodeChange body) {
        caller.requireAny(Role.ADMIN);
        boolean generated = body == null || body.securityCode() == null;
        String code = generated ? WctpSenders.newCode() : body.securityCode();
        return senders.changeCode(caller.orgId(), id, code, clock.instant())
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(s -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                                "wctp.sender.security-code", id, Outcome.SUCCESS)
                        .withDetail("generated", Boolean.toString(generated)))
                        .thenReturn(new CodeChanged(id, generated ? code : null, s.securityCodeChangedAt())));
    }

    private static RuntimeException notFound(String id) {
        return ProblemType.NOT_FOUND.exception("No WCTP sender %s in your organisation", id);
    }
}
