package org.wardfleet.enrollment;

import java.util.List;

import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.Ownership;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What IT asks for: {@code maxUses} defaults to 1, {@code expiresInHours} to 24 (at most 720). BYOD names its owner,
 * SHARED names nobody.
 */
public record NewInvitation(@NotNull Ownership ownership, @NotNull DevicePlatform platform,
        @Min(1) @Max(1000) Integer maxUses, @Size(max = 64) String assignedUserId,
        @Size(max = 20) List<@Pattern(regexp = "[A-Za-z0-9 ._-]{1,64}") String> groups,
        @Min(1) @Max(720) Integer expiresInHours) {
}
