package org.wardfleet.pki.internal;

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
 * {@link CaImports} audited: an imported CA is recorded once stored, and the answer waits for the entry
 * ({@link AuditLog#afterCompletion}).
 */
@Primary
@Component
class AuditedCaImports implements CaImports {

    private final CaImports imports;
    private final AuditLog audit;

    @Autowired
    AuditedCaImports(CaImporter importer, AuditLog audit) {
        this((CaImports) importer, audit);
    }

    AuditedCaImports(CaImports imports, AuditLog audit) {
        this.imports = imports;
        this.audit = audit;
    }

    @Override
    public Mono<Void> importCa(Caller caller, CaImport body) {
        return audit.afterCompletion(imports.importCa(caller, body), () -> AuditEvent.of(caller.orgId(),
                Actor.user(caller.userId()), "pki.ca.import", caller.orgId(), Outcome.SUCCESS));
    }
}
