package org.wardfleet.oncall.internal;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** {@link OnCallRoles} over {@link OnCallStore}: the caller's right checked, then the references, then written. */
@Component
class RoleWriter implements OnCallRoles {

    private final OnCallStore store;
    private final References references;

    RoleWriter(OnCallStore store, References references) {
        this.store = store;
        this.references = references;
    }

    @Override
    public Mono<OnCallStore.Role> create(Caller caller, NewRole body) {
        return Mono.defer(() -> {
            caller.requireAny(Role.ADMIN);
            ZoneId zone = InputBounds.zone("timeZone", body.timeZone());
            Rota rota = rota("rota.", body.rota(), zone);
            List<String> owners = body.owners() == null ? List.of() : body.owners();
            OnCallStore.Role role = new OnCallStore.Role(UUID.randomUUID().toString(), caller.orgId(), body.name(),
                    zone, owners, rota, body.escalationPolicyId());
            return references.activeUsers(caller.orgId(), rota.participants(), "rota.participants")
                    .then(references.activeUsers(caller.orgId(), owners, "owners"))
                    .then(references.policy(caller.orgId(), body.escalationPolicyId(), "escalationPolicyId"))
                    .then(store.insert(role));
        });
    }

    @Override
    public Mono<OnCallStore.Role> replaceRota(Caller caller, String roleId, RotaBody body) {
        return CoverRules.role(store, caller.orgId(), roleId).flatMap(role -> {
            if (!caller.has(Role.ADMIN) && !role.owners().contains(caller.userId())) {
                return Mono.error(ProblemType.FORBIDDEN.exception("Only ADMIN or the role's owners"));
            }
            Rota rota = rota("", body, role.zone());
            return references.activeUsers(caller.orgId(), rota.participants(), "participants")
                    .then(store.replaceRota(caller.orgId(), roleId, rota));
        });
    }

    @Override
    public Mono<OnCallStore.Role> escalationPolicy(Caller caller, String roleId, String escalationPolicyId) {
        return Mono.defer(() -> {
            caller.requireAny(Role.ADMIN);
            return CoverRules.role(store, caller.orgId(), roleId)
                    .flatMap(role -> references.policy(caller.orgId(), escalationPolicyId, "escalationPolicyId")
                            .then(store.escalationPolicy(caller.orgId(), roleId, escalationPolicyId)));
        });
    }

    @Override
    public Mono<OnCallStore.Role> owners(Caller caller, String roleId, List<String> owners) {
        return Mono.defer(() -> {
            caller.requireAny(Role.ADMIN);
            List<String> unique = List.copyOf(new LinkedHashSet<>(owners));
            return CoverRules.role(store, caller.orgId(), roleId)
                    .flatMap(role -> references.activeUsers(caller.orgId(), unique, "owners")
                            .then(store.owners(caller.orgId(), roleId, unique)));
        });
    }

    /** A rota from a request, every field bounded; {@code prefix} is the body's path to it ("rota." or ""). */
    private static Rota rota(String prefix, RotaBody body, ZoneId zone) {
        LocalDateTime start = InputBounds.local(prefix + "start", body.start());
        String shift = InputBounds.shift(prefix + "shift", body.shift());
        return new Rota(body.participants(), start, shift, zone);
    }
}
