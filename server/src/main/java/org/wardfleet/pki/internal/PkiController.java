package org.wardfleet.pki.internal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.pki.internal.CaImports.CaImport;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

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
    private final CaImports imports;

    PkiController(RevocationResponder revocation, CaKeys cas, CaImports imports) {
        this.revocation = revocation;
        this.cas = cas;
        this.imports = imports;
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

    /** An existing hospital CA instead of the generated one; only before it has issued anything. */
    @Operation(summary = "Import the organisation's own device CA before any certificate is issued (ADMIN)")
    @Problems({"403 forbidden", "400 ca-import-invalid", "409 ca-in-use"})
    @PostMapping("/api/v1/pki/ca/import")
    Mono<CaView> importCa(Caller caller, @Valid @RequestBody CaImport body) {
        return imports.importCa(caller, body)
                .then(Mono.defer(() -> cas.ca(caller.orgId())))
                .map(ca -> view(caller.orgId(), ca.certificate(), true));
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
