package org.wardfleet.pki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.pki.PkiProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemException;
import org.wardfleet.support.RecordingAuditLog;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A CA import is audited by its wrapper: it answers only once its entry (same action name and fields as ever) is
 * written; an entry that cannot be written fails the import with 503 {@code audit-unavailable}; a refused import (the
 * CA already issued certificates) records nothing.
 */
class AuditedCaImportsTests {

    private static final Caller ADMIN = new Caller("admin-1", "org-1", null, Set.of(Role.ADMIN));
    private static final CaImports.CaImport BODY = new CaImports.CaImport("-----BEGIN CERTIFICATE-----",
            "-----BEGIN PRIVATE KEY-----", null);

    private final AtomicInteger imports = new AtomicInteger();

    @Test
    void anImportedCaIsRecordedBeforeTheAnswer() {
        RecordingAuditLog audit = RecordingAuditLog.working();

        StepVerifier.create(new AuditedCaImports(importer(null), audit).importCa(ADMIN, BODY)).verifyComplete();

        assertThat(audit.entries).containsExactly(AuditEvent.of("org-1", Actor.user("admin-1"), "pki.ca.import",
                "org-1", Outcome.SUCCESS));
    }

    @Test
    void anImportWhoseAuditEntryCannotBeWrittenIsRefusedWith503() {
        StepVerifier.create(new AuditedCaImports(importer(null), RecordingAuditLog.refusing()).importCa(ADMIN, BODY))
                .expectErrorSatisfies(RecordingAuditLog::assertAuditUnavailable)
                .verify();
        assertThat(imports).hasValue(1); // the CA was stored, as with the audit line in the controller
    }

    @Test
    void aRefusedImportRecordsNothing() {
        RecordingAuditLog audit = RecordingAuditLog.working();
        var audited = new AuditedCaImports(importer(PkiProblems.CA_IN_USE.exception(
                "Device certificates were already issued by the current CA")), audit);

        StepVerifier.create(audited.importCa(ADMIN, BODY)).expectError(ProblemException.class).verify();

        assertThat(audit.entries).isEmpty();
    }

    /** The importer's part: stores the CA, or fails with {@code refusal} when given. */
    private CaImports importer(RuntimeException refusal) {
        return (caller, body) -> Mono.defer(() -> {
            imports.incrementAndGet();
            return refusal != null ? Mono.error(refusal) : Mono.empty();
        });
    }
}
