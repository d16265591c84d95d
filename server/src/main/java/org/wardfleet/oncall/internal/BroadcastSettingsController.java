package org.wardfleet.oncall.internal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import reactor.core.publisher.Mono;

/** The organisation's broadcast rules ({@link BroadcastSettings}): read by anyone, changed by an {@code ADMIN}. */
@RestController
class BroadcastSettingsController {

    private final BroadcastSettings settings;

    BroadcastSettingsController(BroadcastSettings settings) {
        this.settings = settings;
    }

    record SettingsView(@NotNull Boolean membersMayBroadcastToOwnGroups) {
    }

    @Operation(summary = "The organisation's broadcast rules")
    @GetMapping("/api/v1/oncall/broadcast-settings")
    Mono<SettingsView> get(Caller caller) {
        return settings.settings(caller.orgId()).map(s -> new SettingsView(s.membersMayBroadcastToOwnGroups()));
    }

    @Operation(summary = "Change the organisation's broadcast rules (ADMIN)")
    @Problems({"403 forbidden"})
    @PutMapping("/api/v1/oncall/broadcast-settings")
    Mono<SettingsView> put(Caller caller, @Valid @RequestBody SettingsView body) {
        return settings.change(caller, new BroadcastPermission.Settings(body.membersMayBroadcastToOwnGroups()))
                .map(s -> new SettingsView(s.membersMayBroadcastToOwnGroups()));
    }
}
