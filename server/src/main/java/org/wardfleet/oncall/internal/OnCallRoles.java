package org.wardfleet.oncall.internal;

import java.time.LocalDateTime;
import java.util.List;

import org.wardfleet.platform.security.Caller;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * Writing an on-call role — created with its rota, a new rota, its escalation policy, its owners — for the API
 * ({@link OnCallController}); every person and policy named is checked ({@link References}); audited by
 * {@link AuditedOnCallRoles}. A body's own constraints are checked by its caller (bean validation, as the API's
 * {@code @Valid}); its dates, zone and shift are bounded here ({@link InputBounds}). Each answers the stored role.
 */
interface OnCallRoles {

    /** {@code ADMIN}: a new role with its rota. */
    Mono<OnCallStore.Role> create(Caller caller, NewRole role);

    /** {@code ADMIN} or the role's owners: participants, start and shift length. */
    Mono<OnCallStore.Role> replaceRota(Caller caller, String roleId, RotaBody rota);

    /** {@code ADMIN}: the role's escalation policy; null goes back to the defaults by priority. */
    Mono<OnCallStore.Role> escalationPolicy(Caller caller, String roleId, String escalationPolicyId);

    /** {@code ADMIN}: who may change the role's rota, overrides and leave (active users; duplicates dropped). */
    Mono<OnCallStore.Role> owners(Caller caller, String roleId, List<String> owners);

    record RotaBody(@NotEmpty @Size(max = 200) List<@NotBlank String> participants, @NotNull LocalDateTime start,
            @NotBlank @Size(max = 32) String shift) {
    }

    @Schema(name = "OnCallRoleBody")
    record NewRole(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 64) String timeZone,
            @Size(max = 50) List<String> owners, @NotNull @Valid RotaBody rota,
            @Size(max = 64) String escalationPolicyId) {
    }
}
