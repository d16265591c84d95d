package org.wardfleet.enrollment.internal;

import java.util.LinkedHashMap;

import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.identity.UserTokens;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.PublicUrl;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * {@code POST /device/v1/enroll}: the app's enrollment. Fields a device may volunteer that Wardfleet does not want
 * (phone number, app list, location) are not bound at all, so they can never be stored. With
 * {@code Authorization: Bearer <access token>} of the person the invitation is for (they signed in on the device), the
 * device is bound to them at once and receives their messages; without it, only once they approve it.
 */
@RestController
class EnrollController {

    private static final String BEARER = "Bearer ";

    private final DeviceEnrollments enrollment;
    private final PublicUrl publicUrl;
    private final UserTokens userTokens;

    EnrollController(DeviceEnrollments enrollment, PublicUrl publicUrl, UserTokens userTokens) {
        this.enrollment = enrollment;
        this.publicUrl = publicUrl;
        this.userTokens = userTokens;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EnrollRequest(@NotBlank @Size(max = 100) String token, @NotBlank @Size(max = 16384) String csr,
            @NotNull DevicePlatform platform, @Size(max = 128) String model, @Size(max = 64) String osVersion,
            @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String securityPatchLevel, @Size(max = 64) String appVersion,
            @Size(max = 64) String serialNumber, @Pattern(regexp = "\\d{14,16}") String imei,
            @Size(max = 32768) Map<String, Object> attestation) {

        @Override
        public String toString() {
            return "EnrollRequest[token=***, platform=" + platform + "]";
        }
    }

    record RenewRequest(@NotBlank @Size(max = 16384) String csr) {
    }

    record EnrollResponse(String deviceId, String certificateChain, Map<String, String> endpoints,
            String policyJwksUrl, String ownership, String state, Boolean boundToUser) {
    }

    @Operation(summary = "Enroll a device with an invitation secret and a CSR")
    @ApiResponse(responseCode = "201", description = "The device and its certificate")
    @Problems({"401 invalid-invitation", "410 invitation-expired", "410 invitation-used", "410 invitation-revoked",
            "400 platform-mismatch", "400 malformed-csr", "400 csr-signature-invalid", "400 weak-key",
            "401 enrollment-user-token-invalid", "403 enrollment-user-mismatch"})
    @PostMapping("/device/v1/enroll")
    Mono<org.springframework.http.ResponseEntity<EnrollResponse>> enroll(@Valid @RequestBody EnrollRequest body,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Device.Hardware hardware = body.serialNumber() == null && body.imei() == null ? null
                : new Device.Hardware(body.serialNumber(), body.imei());
        return signedIn(authorization)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .flatMap(user -> enrollment.redeem(body.token(), new DeviceEnrollment.Request(body.csr(),
                        body.platform(), body.model(), body.osVersion(), body.securityPatchLevel(), body.appVersion(),
                        hardware, body.attestation() != null, "api", user.orElse(null))))
                .map(result -> org.springframework.http.ResponseEntity.status(201).body(response(result)));
    }

    /** The person signed in on the device, if the app sent their token; a token that proves nobody is refused. */
    private Mono<Caller> signedIn(String authorization) {
        if (authorization == null) {
            return Mono.empty();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() > BEARER.length() + 8192) {
            return Mono.error(EnrollmentProblems.USER_TOKEN_INVALID.exception(
                    "Send the signed-in person's access token as Authorization: Bearer, or no Authorization"));
        }
        return userTokens.verify(authorization.substring(BEARER.length()).trim())
                .switchIfEmpty(Mono.error(() -> EnrollmentProblems.USER_TOKEN_INVALID.exception(
                        "The sign-in on this device is not valid (expired?): sign in again")));
    }

    @Operation(summary = "Renew the device certificate with a new CSR")
    @Problems({"400 malformed-csr", "400 csr-signature-invalid", "400 weak-key"})
    @PostMapping("/device/v1/renew")
    Mono<EnrollResponse> renew(DevicePrincipal device, @Valid @RequestBody RenewRequest body) {
        return enrollment.renew(device, body.csr()).map(this::response);
    }

    private EnrollResponse response(DeviceEnrollment.Result result) {
        Device device = result.device();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("checkin", publicUrl.resolve("/device/v1/checkin"));
        endpoints.put("actionResult", publicUrl.resolve("/device/v1/actions/{id}/result"));
        endpoints.put("renew", publicUrl.resolve("/device/v1/renew"));
        endpoints.put("estReenroll", publicUrl.resolve("/.well-known/est/simplereenroll"));
        endpoints.put("policy", publicUrl.resolve("/device/v1/policy"));
        endpoints.put("stream", publicUrl.resolve("/device/v1/stream").replaceFirst("^http", "ws"));
        endpoints.put("messages", publicUrl.resolve("/device/v1/messages"));
        endpoints.put("crl", publicUrl.resolve("/pki/v1/orgs/" + device.orgId() + "/crl"));
        endpoints.put("ocsp", publicUrl.resolve("/pki/v1/orgs/" + device.orgId() + "/ocsp"));
        return new EnrollResponse(device.id(), CertificateIssuance.pem(result.certificate().chain()), endpoints,
                publicUrl.resolve("/device/v1/policy/jwks"), device.ownership().name(), device.state().name(),
                device.assignedUserId() == null ? null : device.boundToUser());
    }

}
