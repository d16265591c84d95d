package org.wardfleet.pki.internal;

import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.audit.AuditEvent;
import org.wardfleet.audit.AuditEvent.Actor;
import org.wardfleet.audit.AuditEvent.Outcome;
import org.wardfleet.audit.AuditLog;
import org.wardfleet.pki.PkiProblems;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Public revocation data (CRL, OCSP, the CA certificate: signed or public by nature, so no authentication), and
 * the CA's details and import for administrators.
 */
@RestController
class PkiController {

    static final MediaType CRL = MediaType.parseMediaType("application/pkix-crl");
    static final MediaType OCSP_RESPONSE = MediaType.parseMediaType("application/ocsp-response");
    static final int MAX_OCSP_REQUEST = 8 * 1024;

    private final RevocationResponder revocation;
    private final CaKeys cas;
    private final PkiRepository repository;
    private final AuditLog audit;
    private final Clock clock;

    PkiController(RevocationResponder revocation, CaKeys cas, PkiRepository repository, AuditLog audit,
            Clock clock) {
        this.revocation = revocation;
        this.cas = cas;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    @Operation(summary = "An organisation's certificate revocation list")
    @ApiResponse(responseCode = "200", description = "DER CRL",
            content = @Content(mediaType = "application/pkix-crl", schema = @Schema(type = "string")))
    @GetMapping("/pki/v1/orgs/{orgId}/crl")
    Mono<ResponseEntity<byte[]>> crl(@PathVariable String orgId) {
        return revocation.crl(orgId)
                .map(der -> ResponseEntity.ok().contentType(CRL).cacheControl(CacheControl.noCache()).body(der))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No CA for %s", orgId)));
    }

    @Operation(summary = "OCSP: is a device certificate revoked (RFC 6960)")
    @ApiResponse(responseCode = "200", description = "DER OCSP response",
            content = @Content(mediaType = "application/ocsp-response", schema = @Schema(type = "string")))
    @Problems({"413 payload-too-large"})
    @PostMapping(value = "/pki/v1/orgs/{orgId}/ocsp", consumes = "application/ocsp-request")
    Mono<ResponseEntity<byte[]>> ocsp(@PathVariable String orgId, @RequestBody byte[] request) {
        if (request.length > MAX_OCSP_REQUEST) {
            return Mono.error(ProblemType.PAYLOAD_TOO_LARGE.exception("OCSP requests are at most %d bytes",
                    MAX_OCSP_REQUEST));
        }
        return revocation.ocsp(orgId, request)
                .map(der -> ResponseEntity.ok().contentType(OCSP_RESPONSE).cacheControl(CacheControl.noStore())
                        .body(der));
    }

    @Operation(summary = "An organisation's device CA certificate (PEM)")
    @ApiResponse(responseCode = "200", description = "PEM certificate",
            content = @Content(mediaType = "application/x-pem-file", schema = @Schema(type = "string")))
    @GetMapping(value = "/pki/v1/orgs/{orgId}/ca.pem", produces = "application/x-pem-file")
    Mono<String> caPem(@PathVariable String orgId) {
        return cas.existing(orgId).map(ca -> Pem.write(ca.chain().toArray()))
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No CA for %s", orgId)));
    }

    record CaView(String subject, String serial, Instant notBefore, Instant notAfter, String sha256Fingerprint,
            boolean imported, String crlUrl, String ocspUrl) {
    }

    @Operation(summary = "The organisation's device CA (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @GetMapping("/api/v1/pki/ca")
    Mono<CaView> ca(Caller caller) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        return cas.ca(caller.orgId()).map(ca -> view(caller.orgId(), ca.certificate(), ca.imported()));
    }

    record CaImport(@NotBlank @Size(max = 32768) String certificatePem, @NotBlank @Size(max = 16384)
            String privateKeyPem, @Size(max = 1024) String privateKeyPassphrase) {

        @Override
        public String toString() {
            return "CaImport[***]";
        }
    }

    /** An existing hospital CA instead of the generated one; only before it has issued anything. */
    @Operation(summary = "Import the organisation's own device CA before any certificate is issued (ADMIN)")
    @Problems({"403 forbidden", "400 ca-import-invalid", "409 ca-in-use"})
    @PostMapping("/api/v1/pki/ca/import")
    Mono<CaView> importCa(Caller caller, @Valid @RequestBody CaImport body) {
        caller.requireAny(Role.ADMIN);
        return repository.anyCertificate(caller.orgId())
                .flatMap(used -> used ? Mono.error(PkiProblems.CA_IN_USE.exception(
                        "Device certificates were already issued by the current CA")) : Mono.just(body))
                .flatMap(b -> Mono.fromCallable(() -> validated(caller.orgId(), b))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(stored -> repository.replaceCa(stored, clock.instant()).thenReturn(stored))
                .doOnNext(stored -> cas.forget(caller.orgId()))
                .flatMap(stored -> audit.record(AuditEvent.of(caller.orgId(), Actor.user(caller.userId()),
                        "pki.ca.import", caller.orgId(), Outcome.SUCCESS)).then(cas.ca(caller.orgId())))
                .map(ca -> view(caller.orgId(), ca.certificate(), true));
    }

    private PkiRepository.StoredCa validated(String orgId, CaImport body) throws Exception {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(body.certificatePem());
            key = Pem.privateKey(body.privateKeyPem(), body.privateKeyPassphrase() == null ? null
                    : body.privateKeyPassphrase().toCharArray());
        } catch (java.io.IOException e) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("Unreadable PEM: %s", e.getMessage());
        }
        if (chain.isEmpty()) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("No certificate in certificatePem");
        }
        X509Certificate ca = chain.get(0);
        boolean[] usage = ca.getKeyUsage();
        if (ca.getBasicConstraints() < 0 || usage == null || !usage[5]) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("The certificate is not a CA (CA:true and keyCertSign)");
        }
        if (clock.instant().isAfter(ca.getNotAfter().toInstant())) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("The CA certificate has expired");
        }
        if (!keyMatches(key, ca)) {
            throw PkiProblems.CA_IMPORT_INVALID.exception("The private key does not belong to the certificate");
        }
        return new PkiRepository.StoredCa(orgId, Pem.write(chain.toArray()), cas.encrypt(key), true);
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] probe = "wardfleet-ca-import".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private CaView view(String orgId, X509Certificate ca, boolean imported) {
        try {
            String fingerprint = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(ca.getEncoded()));
            return new CaView(ca.getSubjectX500Principal().getName(), ca.getSerialNumber().toString(16),
                    ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant(), fingerprint, imported,
                    "/pki/v1/orgs/" + orgId + "/crl", "/pki/v1/orgs/" + orgId + "/ocsp");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
