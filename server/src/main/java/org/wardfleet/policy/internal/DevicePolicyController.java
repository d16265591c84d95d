package org.wardfleet.policy.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The device side: its effective policy as a signed JWS ({@code application/jose}), the keys that verify it, and its
 * report of what it applied. {@code ETag} is the policy version, so a device polling at check-in with
 * {@code If-None-Match} gets {@code 304} when nothing changed.
 */
@RestController
class DevicePolicyController {

    static final MediaType JOSE = MediaType.parseMediaType("application/jose");

    private final PolicyRollout policies;
    private final PolicySigner signer;
    private final DevicePolicyStates states;
    private final Set<String> settingPaths;

    DevicePolicyController(PolicyRollout policies, PolicySigner signer, DevicePolicyStates states,
            PolicySchema schema) {
        this.policies = policies;
        this.signer = signer;
        this.states = states;
        this.settingPaths = schema.settings().stream().map(PolicySchema.Setting::path).collect(Collectors.toSet());
    }

    @Operation(summary = "The device's signed effective policy (a JWS), or 304 when unchanged")
    @ApiResponse(responseCode = "200", description = "The policy as a compact JWS",
            content = @Content(mediaType = "application/jose", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "304", description = "Unchanged since the If-None-Match version")
    @GetMapping("/device/v1/policy")
    Mono<ResponseEntity<String>> policy(DevicePrincipal device,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        return policies.effective(device.orgId(), device.deviceId())
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("Unknown device")))
                .flatMap(effective -> {
                    String etag = "\"" + effective.version() + "\"";
                    Mono<Void> fetched = states.fetched(device.orgId(), device.deviceId(), effective.version());
                    if (etag.equals(ifNoneMatch)) {
                        return fetched.thenReturn(ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag)
                                .<String>build());
                    }
                    return signer.sign(device.orgId(), effective).flatMap(jws -> fetched.thenReturn(
                            ResponseEntity.ok().contentType(JOSE).eTag(etag).body(jws)));
                });
    }

    @Operation(summary = "The keys that verify policy signatures (JWKS)")
    @Problems({"406 not-acceptable"})
    @GetMapping(value = "/device/v1/policy/jwks", produces = "application/jwk-set+json")
    Mono<Map<String, Object>> jwks(DevicePrincipal device) {
        return signer.publicKeys(device.orgId()).map(set -> set.toJSONObject(true));
    }

    record SettingResult(@NotBlank @Size(max = 128) String setting,
            @NotNull @Pattern(regexp = "APPLIED|FAILED|NOT_SUPPORTED") String status,
            @Size(max = 300) String reason) {
    }

    record StatusReport(@NotBlank @Size(max = 64) String version, @NotNull @Size(max = 100) List<@Valid
            SettingResult> results) {
    }

    record StatusAccepted(String version, boolean current, int results) {
    }

    @Operation(summary = "Report how each policy setting was applied")
    @ApiResponse(responseCode = "202", description = "Recorded")
    @PostMapping("/device/v1/policy/status")
    Mono<ResponseEntity<StatusAccepted>> status(DevicePrincipal device, @Valid @RequestBody StatusReport body) {
        List<String> unknown = body.results().stream().map(SettingResult::setting)
                .filter(s -> !settingPaths.contains(s)).toList();
        if (!unknown.isEmpty()) {
            return Mono.error(ProblemType.VALIDATION_FAILED.exception("Unknown setting(s): %s", unknown));
        }
        List<DevicePolicyStates.Result> results = body.results().stream()
                .map(r -> new DevicePolicyStates.Result(r.setting(), r.status(), r.reason())).toList();
        return states.reported(device.orgId(), device.deviceId(), body.version(), results)
                .then(policies.effective(device.orgId(), device.deviceId()))
                .map(current -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new StatusAccepted(body.version(),
                        current.version().equals(body.version()), results.size())));
    }
}
