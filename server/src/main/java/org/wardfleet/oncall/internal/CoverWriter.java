package org.wardfleet.oncall.internal;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** {@link Covers} over {@link OnCallStore}: the role's rules checked, the people checked active, then written. */
@Component
class CoverWriter implements Covers {

    private final OnCallStore store;
    private final References references;

    CoverWriter(OnCallStore store, References references) {
        this.store = store;
        this.references = references;
    }

    @Override
    public Mono<OnCallStore.StoredCover> add(Caller caller, String roleId, String kind, String userId, String from,
            String to) {
        return CoverRules.role(store, caller.orgId(), roleId)
                .flatMap(role -> {
                    CoverRules.allowed(caller, role, kind, userId, userId);
                    InputBounds.Window window = CoverRules.window(from, to, role);
                    return references.activeUsers(caller.orgId(), List.of(userId), "userId")
                            .then(store.insert(caller.orgId(), new OnCallStore.StoredCover(
                                    UUID.randomUUID().toString(), roleId, kind, userId, window.from(),
                                    window.to())));
                });
    }

    @Override
    public Mono<OnCallStore.StoredCover> change(Caller caller, String roleId, String coverId, String userId,
            String from, String to) {
        return CoverRules.role(store, caller.orgId(), roleId)
                .flatMap(role -> CoverRules.cover(store, caller.orgId(), roleId, coverId).flatMap(before -> {
                    CoverRules.allowed(caller, role, before.kind(), before.userId(), userId);
                    InputBounds.Window window = CoverRules.window(from, to, role);
                    return references.activeUsers(caller.orgId(), List.of(userId), "userId")
                            .then(store.replace(caller.orgId(), new OnCallStore.StoredCover(coverId, roleId,
                                    before.kind(), userId, window.from(), window.to())));
                }))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception(
                        "No override or leave %s for this role", coverId)));
    }

    @Override
    public Mono<OnCallStore.StoredCover> delete(Caller caller, String roleId, String coverId) {
        return CoverRules.role(store, caller.orgId(), roleId)
                .flatMap(role -> CoverRules.cover(store, caller.orgId(), roleId, coverId).flatMap(c -> {
                    CoverRules.allowed(caller, role, c.kind(), c.userId(), c.userId());
                    return store.delete(caller.orgId(), roleId, coverId).thenReturn(c);
                }));
    }
}
