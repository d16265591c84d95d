package org.wardfleet.wctp.internal;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;
import org.wardfleet.wctp.WctpSenderAdministration;
import org.wardfleet.wctp.WctpSenderAdministration.CodeChanged;
import org.wardfleet.wctp.WctpSenderAdministration.NewSender;
import org.wardfleet.wctp.WctpSenderAdministration.Registered;
import org.wardfleet.wctp.WctpSenderAdministration.SenderChange;
import org.wardfleet.wctp.WctpSenderAdministration.SenderPage;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The sending systems (nurse call, alarms) allowed to page over WCTP: registered, listed, changed and given a new
 * security code by an {@code ADMIN}; {@code SECURITY} reads them. A code is never shown again after it is set: only
 * its salted hash is kept. The rules: {@link WctpSenderAdministration}.
 */
@RestController
class WctpSenderController {

    private final WctpSenderAdministration senders;

    WctpSenderController(WctpSenderAdministration senders) {
        this.senders = senders;
    }

    @Schema(name = "WctpSenderCreated")
    record Created(String id) {
    }

    /** Omit {@code securityCode} to have one generated (returned once, in the answer). */
    record CodeChange(@Size(min = 16, max = 128) String securityCode) {

        @Override
        public String toString() {
            return "CodeChange[***]";
        }
    }

    @Operation(summary = "Register a WCTP sending system (ADMIN)")
    @ApiResponse(responseCode = "201", description = "The sender")
    @Problems({"403 forbidden", "400 response-url-refused", "409 conflict"})
    @PostMapping("/api/v1/wctp/senders")
    Mono<ResponseEntity<Created>> register(Caller caller, @Valid @RequestBody NewSender body) {
        return senders.register(caller, body)
                .map(s -> ResponseEntity.created(URI.create("/api/v1/wctp/senders/" + s.senderId()))
                        .body(new Created(s.senderId())));
    }

    @Operation(summary = "List WCTP senders (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/wctp/senders")
    Mono<SenderPage> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return senders.list(caller, page, size);
    }

    @Operation(summary = "A WCTP sender, never its code (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/wctp/senders/{id}")
    Mono<Registered> get(Caller caller, @PathVariable String id) {
        return senders.find(caller, id);
    }

    @Operation(summary = "Change a WCTP sender's allowed recipients, response URLs, certificate pin (ADMIN)")
    @Problems({"403 forbidden", "400 response-url-refused"})
    @PutMapping("/api/v1/wctp/senders/{id}")
    Mono<Registered> change(Caller caller, @PathVariable String id, @Valid @RequestBody SenderChange body) {
        return senders.change(caller, id, body);
    }

    /** A new security code: the old one stops working at once (the sending system must be given the new one). */
    @Operation(summary = "Give a WCTP sender a new security code (ADMIN)")
    @Problems({"403 forbidden"})
    @PostMapping("/api/v1/wctp/senders/{id}/security-code")
    Mono<CodeChanged> changeCode(Caller caller, @PathVariable String id,
            @Valid @RequestBody(required = false) CodeChange body) {
        return senders.changeCode(caller, id, body == null ? null : body.securityCode());
    }
}
