package org.wardfleet.enrollment.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.identity.Tenants;
import org.wardfleet.platform.security.DevicePrincipal;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Mono;

/**
 * EST (RFC 7030) for standard clients: {@code openssl req} + {@code curl} work as they are. Without a label the
 * first organisation's CA is meant (a single-hospital install); {@code /.well-known/est/<orgId>/...} names one.
 */
@RestController
class EstController {

    static final MediaType PKCS7 = MediaType.parseMediaType("application/pkcs7-mime; smime-type=certs-only");
    static final ProblemType EST_AUTH = new ProblemType("est-authentication-required", HttpStatus.UNAUTHORIZED,
            "EST authentication required");

    private final DeviceEnrollments enrollment;
    private final CertificateIssuance issuance;
    private final Tenants tenants;

    EstController(DeviceEnrollments enrollment, CertificateIssuance issuance, Tenants tenants) {
        this.enrollment = enrollment;
        this.issuance = issuance;
        this.tenants = tenants;
    }

    @Operation(summary = "EST: the CA certificates of the first organisation (RFC 7030 4.1)")
    @ApiResponse(responseCode = "200", description = "Base64 PKCS#7 certs-only",
            content = @Content(mediaType = "application/pkcs7-mime", schema = @Schema(type = "string")))
    @Problems({"404 not-found"})
    @GetMapping("/.well-known/est/cacerts")
    Mono<ResponseEntity<String>> cacerts() {
        return tenants.first()
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No organisation yet")))
                .flatMap(org -> cacerts(org.id()));
    }

    @Operation(summary = "EST: an organisation's CA certificates (RFC 7030 4.1)")
    @ApiResponse(responseCode = "200", description = "Base64 PKCS#7 certs-only",
            content = @Content(mediaType = "application/pkcs7-mime", schema = @Schema(type = "string")))
    @GetMapping("/.well-known/est/{orgId}/cacerts")
    Mono<ResponseEntity<String>> cacerts(@PathVariable String orgId) {
        return tenants.find(orgId)
                .switchIfEmpty(Mono.error(() -> ProblemType.NOT_FOUND.exception("No such CA")))
                .flatMap(org -> issuance.caChain(org.id()))
                .map(chain -> pkcs7(CertificateIssuance.certsOnly(chain)));
    }

    @Operation(summary = "EST: enroll with HTTP Basic invitation id and secret (RFC 7030 4.2)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "Base64 DER PKCS#10 CSR",
                    content = @Content(mediaType = "application/pkcs10", schema = @Schema(type = "string"))))
    @ApiResponse(responseCode = "200", description = "Base64 PKCS#7 with the device certificate",
            content = @Content(mediaType = "application/pkcs7-mime", schema = @Schema(type = "string")))
    @Problems({"401 est-authentication-required", "401 invalid-invitation", "410 invitation-expired",
            "410 invitation-used", "410 invitation-revoked", "400 malformed-csr", "400 csr-signature-invalid",
            "400 weak-key"})
    @PostMapping({"/.well-known/est/simpleenroll", "/.well-known/est/{label}/simpleenroll"})
    Mono<ResponseEntity<String>> simpleEnroll(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
            String authorization, @RequestBody String base64Csr) {
        String[] basic = basic(authorization);
        if (basic == null) {
            return Mono.error(EST_AUTH.exception("Use HTTP Basic: invitation id and secret"));
        }
        var request = new DeviceEnrollment.Request(base64Csr, null, null, null, null, null, null, false, "est",
                null);
        return enrollment.redeem(basic[0], basic[1], request)
                .map(result -> pkcs7(CertificateIssuance.certsOnly(java.util.List.of(result.certificate().chain()
                        .get(0)))));
    }

    @Operation(summary = "EST: renew the certificate (mutual TLS with the current one; RFC 7030 4.2.2)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "Base64 DER PKCS#10 CSR",
                    content = @Content(mediaType = "application/pkcs10", schema = @Schema(type = "string"))))
    @ApiResponse(responseCode = "200", description = "Base64 PKCS#7 with the new certificate",
            content = @Content(mediaType = "application/pkcs7-mime", schema = @Schema(type = "string")))
    @Problems({"400 malformed-csr", "400 csr-signature-invalid", "400 weak-key"})
    @PostMapping({"/.well-known/est/simplereenroll", "/.well-known/est/{label}/simplereenroll"})
    Mono<ResponseEntity<String>> simpleReenroll(DevicePrincipal device, @RequestBody String base64Csr) {
        return enrollment.renew(device, base64Csr)
                .map(result -> pkcs7(CertificateIssuance.certsOnly(java.util.List.of(result.certificate().chain()
                        .get(0)))));
    }

    /** RFC 7030 4.1.3 / 4.2.3: base64 body, {@code Content-Transfer-Encoding: base64}. */
    private static ResponseEntity<String> pkcs7(byte[] der) {
        return ResponseEntity.ok()
                .contentType(PKCS7)
                .header("Content-Transfer-Encoding", "base64")
                .body(Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                        + "\r\n");
    }

    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
