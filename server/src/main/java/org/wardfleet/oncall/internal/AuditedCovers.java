package org.wardfleet.oncall.internal;

import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Mono;

/**
 * {@link Covers} audited: an override or leave added, changed or deleted is recorded once written, and the answer
 * waits for the entry ({@link AuditLog#after}).
 */
@Primary
@Component
class AuditedCovers implements Covers {

    private final Covers covers;
    private final AuditLog audit;

    @Autowired
    AuditedCovers(CoverWriter writer, AuditLog audit) {
        this((Covers) writer, audit);
    }

    AuditedCovers(Covers covers, AuditLog audit) {
        this.covers = covers;
        this.audit = audit;
    }

    @Override
    public Mono<OnCallStore.StoredCover> add(Caller caller, String roleId, String kind, String userId, String from,
            String to) {
        return audit.after(covers.add(caller, roleId, kind, userId, from, to), c -> AuditEvent.of(caller.orgId(),
                        Actor.user(caller.userId()), "oncall." + kind.toLowerCase(Locale.ROOT), roleId,
                        Outcome.SUCCESS)
                .withDetail("userId", c.userId()).withDetail("from", c.from().toString())
                .withDetail("to", c.to().toString()));
    }

    @Override
    public Mono<OnCallStore.StoredCover> change(Caller caller, String roleId, String coverId, String userId,
            String from, String to) {
        return audit.after(covers.change(caller, roleId, coverId, userId, from, to), c -> entry(caller, c, "change"));
    }

    @Override
    public Mono<OnCallStore.StoredCover> delete(Caller caller, String roleId, String coverId) {
        return audit.after(covers.delete(caller, roleId, coverId), c -> entry(caller, c, "delete"));
    }

    private static AuditEvent entry(Caller caller, OnCallStore.StoredCover c, String change) {
        return AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "oncall." + c.kind().toLowerCase(Locale.ROOT) + "." + change, c.roleId(), Outcome.SUCCESS)
                .withDetail("coverId", c.id()).withDetail("userId", c.userId()).withDetail("from", c.from().toString())
                .withDetail("to", c.to().toString());
    }
}
