package org.wardfleet.pki.internal;

import org.wardfleet.platform.security.Caller;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * An organisation's own device CA in place of the generated one ({@code ADMIN}; only before it has issued anything),
 * for the API ({@link PkiController}); audited by {@link AuditedCaImports}.
 */
interface CaImports {

    /**
     * Checks the certificate is a CA that has not expired and the key is its own, then stores the key encrypted under
     * Wardfleet's passphrase; completes once stored ({@code ca-in-use}, {@code ca-import-invalid} otherwise).
     */
    Mono<Void> importCa(Caller caller, CaImport body);

    record CaImport(@NotBlank @Size(max = 32768) String certificatePem, @NotBlank @Size(max = 16384)
            String privateKeyPem, @Size(max = 1024) String privateKeyPassphrase) {

        @Override
        public String toString() {
            return "CaImport[***]";
        }
    }
}
