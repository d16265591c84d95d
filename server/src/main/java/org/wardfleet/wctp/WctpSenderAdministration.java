package org.wardfleet.wctp;

import java.time.Instant;
import java.util.List;

import org.wardfleet.platform.security.Caller;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The sending systems (nurse call, alarms) allowed to page over WCTP (the API's {@code /api/v1/wctp/senders} and the
 * console): registered, changed and given a new security code by an {@code ADMIN}; {@code SECURITY} reads them. A code
 * is never shown again after it is set: only its salted hash is kept. Every change is audited.
 */
public interface WctpSenderAdministration {

    String URL = "https?://[^\\s]+";
    String CERT_SHA256 = "([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}";

    /** ADMIN; response URLs are checked as at every use; a taken id is a 409 conflict. */
    Mono<Registered> register(Caller caller, NewSender sender);

    /** ADMIN, SECURITY: by id. */
    Mono<SenderPage> list(Caller caller, int page, int size);

    /** ADMIN, SECURITY; a 404 problem when the organisation has no such sender. */
    Mono<Registered> find(Caller caller, String senderId);

    /** ADMIN: replaces allowed recipients, response URLs and certificate pin. */
    Mono<Registered> change(Caller caller, String senderId, SenderChange change);

    /** ADMIN: a new code (generated when {@code code} is null); the old one stops working at once. */
    Mono<CodeChanged> changeCode(Caller caller, String senderId, String code);

    record NewSender(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String senderId,
            @NotBlank @Size(min = 16, max = 128) String securityCode,
            @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 128) String> allowedRecipients,
            @Size(max = 5) List<@NotBlank @Size(max = 512) @Pattern(regexp = URL) String> responseUrls,
            @Pattern(regexp = CERT_SHA256) String clientCertificateSha256) {

        @Override
        public String toString() {
            return "NewSender[" + senderId + ", ***]";
        }
    }

    /** Replaces what the sender may do: all three fields (an absent one is empty: no URLs, no certificate pin). */
    record SenderChange(@NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 128) String> allowedRecipients,
            @Size(max = 5) List<@NotBlank @Size(max = 512) @Pattern(regexp = URL) String> responseUrls,
            @Pattern(regexp = CERT_SHA256) String clientCertificateSha256) {
    }

    /** {@code securityCode}: only when the server generated it, and only in this answer. */
    record CodeChanged(String senderId, String securityCode, Instant securityCodeChangedAt) {

        @Override
        public String toString() {
            return "CodeChanged[" + senderId + ", ***]";
        }
    }

    /** A sender as its organisation's administrators see it: never its code's hash or salt. */
    record Registered(String senderId, List<String> allowedRecipients, List<String> responseUrls,
            String clientCertificateSha256, Instant createdAt, Instant securityCodeChangedAt) {
    }

    record SenderPage(List<Registered> items, int page, int size, long total) {
    }

    /**
     * The outbound paging gateway as this organisation has used it: whether one is configured (where, scheme and host
     * only), and the last pager message it took and the last it refused or could not be reached for.
     */
    @Schema(name = "PagingGatewayStatus")
    record GatewayStatus(boolean configured, String target, Instant lastSuccessAt, Instant lastFailureAt,
            int lastFailureCode) {
    }

    /** ADMIN, SECURITY. */
    Mono<GatewayStatus> gateway(Caller caller);

    /** 32 URL-safe characters (192 bits): a code for the sending system's configuration, shown once. */
    static String newCode() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
