package org.wardfleet.compliance.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.wardfleet.device.AuthenticatedDevice;
import org.wardfleet.compliance.ComplianceHistory;
import org.wardfleet.compliance.ComplianceState;
import org.wardfleet.compliance.ComplianceSummary;
import org.wardfleet.compliance.DeviceCompliance;
import org.wardfleet.compliance.DeviceAccess;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Device side: challenge and report. IT side: summary, per-device history, conditional access. */
@RestController
class ComplianceController {

    private final AttestationNonces nonces;
    private final PostureReports reports;
    private final ComplianceStatus status;
    private final DeviceCompliance compliance;

    ComplianceController(AttestationNonces nonces, PostureReports reports, ComplianceStatus status,
            DeviceCompliance compliance) {
        this.nonces = nonces;
        this.reports = reports;
        this.status = status;
        this.compliance = compliance;
    }

    record Challenge(String nonce, Instant expiresAt) {
    }

    @Operation(summary = "A fresh attestation challenge (nonce) for this device")
    @PostMapping("/device/v1/attestation/challenge")
    Mono<Challenge> challenge(DevicePrincipal device) {
        return nonces.issue(device.orgId(), device.deviceId()).map(i -> new Challenge(i.nonce(), i.expiresAt()));
    }

    record EvidenceBody(@Size(max = PostureReports.MAX_CHAIN) List<@Size(max = 16384) String> androidKeyChain,
            @Size(max = 65536) String appleAttestation, @Size(max = 128) String keyId,
            @Size(max = 16384) String playIntegrityToken, @Size(max = 16384) String appleAssertion) {
    }

    record ReportBody(@NotBlank @Size(max = 32768) String report, @Valid EvidenceBody evidence) {
    }

    record ReportResult(ComplianceState state, List<Map<String, Object>> reasons, Map<String, Object> evidence) {
    }

    @Operation(summary = "Submit a signed posture report with attestation evidence")
    @Problems({"400 report-invalid", "401 report-signature-invalid"})
    @PostMapping("/device/v1/attestation")
    Mono<ReportResult> report(DevicePrincipal device, @Valid @RequestBody ReportBody body,
            ServerWebExchange exchange) {
        EvidenceBody e = body.evidence();
        return reports.submit(device.orgId(), device.deviceId(), AuthenticatedDevice.of(exchange, device.orgId(),
                        device.deviceId()).orElse(null), body.report(), e == null ? null
                        : new PostureReports.SubmittedEvidence(e.androidKeyChain(), e.appleAttestation(), e.keyId(),
                        e.playIntegrityToken(), e.appleAssertion()))
                .map(r -> new ReportResult(r.state(), r.reasons(), r.evidence()));
    }

    @Operation(summary = "Compliance counts of the organisation (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/compliance/summary")
    Mono<ComplianceSummary> summary(Caller caller) {
        return compliance.summary(caller);
    }

    @Operation(summary = "A device's compliance now and its recent reports (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/devices/{id}/compliance")
    Mono<ComplianceHistory> history(Caller caller, @PathVariable String id) {
        return compliance.history(caller, id);
    }

    @Operation(summary = "Whether a device may reach clinical data now, and why (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/access/devices/{id}")
    Mono<ResponseEntity<DeviceAccess.Decision>> access(Caller caller, @PathVariable String id) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return status.decide(caller.orgId(), id).map(ResponseEntity::ok)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No device %s", id)));
    }
}
