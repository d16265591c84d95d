package org.wardfleet.oncall.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.oncall.internal.BroadcastPermission.Settings;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/** {@link BroadcastSettings} audited: a change is recorded once stored, and the answer waits for the entry. */
@Primary
@Component
class AuditedBroadcastSettings implements BroadcastSettings {

    private final BroadcastSettings settings;
    private final AuditLog audit;

    @Autowired
    AuditedBroadcastSettings(BroadcastPermission permission, AuditLog audit) {
        this((BroadcastSettings) permission, audit);
    }

    AuditedBroadcastSettings(BroadcastSettings settings, AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
    }

    @Override
    public Mono<Settings> settings(String orgId) {
        return settings.settings(orgId);
    }

    @Override
    public Mono<Settings> change(Caller caller, Settings changed) {
        return audit.after(settings.change(caller, changed), s -> AuditEvent.of(caller.orgId(),
                        Actor.user(caller.userId()), "broadcast.settings", caller.orgId(), Outcome.SUCCESS)
                .withDetail("membersMayBroadcastToOwnGroups", Boolean.toString(s.membersMayBroadcastToOwnGroups())));
    }
}
