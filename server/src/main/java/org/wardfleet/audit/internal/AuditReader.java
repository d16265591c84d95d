package org.wardfleet.audit.internal;

import org.springframework.stereotype.Component;
import org.wardfleet.audit.AuditPage;
import org.wardfleet.audit.AuditSearch;
import org.wardfleet.audit.AuditTrail;
import org.wardfleet.audit.ChainVerification;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/** {@link AuditTrail}: the caller's organisation's chain only, for ADMIN and SECURITY. */
@Component
class AuditReader implements AuditTrail {

    private final AuditRepository repository;
    private final AuditVerifier verifier;

    AuditReader(AuditRepository repository, AuditVerifier verifier) {
        this.repository = repository;
        this.verifier = verifier;
    }

    @Override
    public Mono<AuditPage> search(Caller caller, AuditSearch search) {
        return Mono.defer(() -> {
            String orgId = reader(caller).orgId();
            if (search.page() < 0 || search.size() < 1 || search.size() > AuditSearch.MAX_SIZE
                    || (long) search.page() * search.size() > Integer.MAX_VALUE) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("page must be >= 0 and size 1..%d",
                        AuditSearch.MAX_SIZE));
            }
            if (tooLong(search.actor()) || tooLong(search.action()) || tooLong(search.target())) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception(
                        "actor, action and target: at most %d characters", AuditSearch.MAX_TEXT));
            }
            return repository.page(orgId, search).collectList()
                    .zipWith(repository.count(orgId, search))
                    .map(t -> new AuditPage(t.getT1(), search.page(), search.size(), t.getT2()));
        });
    }

    @Override
    public Mono<ChainVerification> verify(Caller caller) {
        return Mono.defer(() -> verifier.verify(reader(caller).orgId()));
    }

    private static boolean tooLong(String text) {
        return text != null && text.length() > AuditSearch.MAX_TEXT;
    }

    private static Caller reader(Caller caller) {
        return caller.requireAny(Role.ADMIN, Role.SECURITY);
    }
}
