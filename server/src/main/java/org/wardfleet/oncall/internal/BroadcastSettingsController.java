package org.wardfleet.oncall.internal;

import java.time.Clock;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import reactor.core.publisher.Mono;

/** The organisation's broadcast rules ({@link BroadcastPermission}): read by anyone, changed by an {@code ADMIN}. */
@RestController
class BroadcastSettingsController {

    private final BroadcastPermission permission;
    private final AuditLog audit;
    private final Clock clock;

    BroadcastSettingsController(BroadcastPermission permission, AuditLog audit, Clock clock) {
        this.permission = permission;
        this.audit = audit;
        this.clock = clock;
    }

    record SettingsView(@NotNull Boolean membersMayBroadcastToOwnGroups) {
    }

    @Operation(summary = "The organisation's broadcast rules")
    @GetMapping("/api/v1/oncall/broadcast-settings")
    Mono<SettingsView> get(Caller caller) {
        return permission.settings(caller.orgId()).map(s -> new SettingsView(s.membersMayBroadcastToOwnGroups()));
    }

    @Operation(summary = "Change the organisation's broadcast rules (ADMIN)")
    @Problems({"403 forbidden"})
    @PutMapping("/api/v1/oncall/broadcast-settings")
    Mono<SettingsView> put(Caller caller, @Valid @RequestBody SettingsView body) {
        caller.requireAny(Role.ADMIN);
        return permission.update(caller.orgId(), new BroadcastPermission.Settings(
                        body.membersMayBroadcastToOwnGroups()), caller.userId(), clock.instant())
                .flatMap(s -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                                "broadcast.settings", caller.orgId(), Outcome.SUCCESS)
                                .withDetail("membersMayBroadcastToOwnGroups",
                                        Boolean.toString(s.membersMayBroadcastToOwnGroups())))
                        .thenReturn(new SettingsView(s.membersMayBroadcastToOwnGroups())));
    }
}
