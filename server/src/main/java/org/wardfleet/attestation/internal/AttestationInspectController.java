package org.wardfleet.attestation.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.wardfleet.attestation.AndroidAttestation;
import org.wardfleet.attestation.AppleAttestation;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;
import org.wardfleet.platform.web.Problems;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/**
 * The evidence inspector: what a device's attestation says and whether it is genuine, for troubleshooting a device —
 * and for anyone to check the verifier against recorded samples ({@code at} = their recording time).
 */
@RestController
class AttestationInspectController {

    private final AttestationService attestation;
    private final Clock clock;

    AttestationInspectController(AttestationService attestation, Clock clock) {
        this.attestation = attestation;
        this.clock = clock;
    }

    record InspectRequest(@NotNull @Pattern(regexp = "android-key|apple-app-attest") String format,
            @Size(max = 65536) String chain, @Size(max = 1024) String challenge,
            @Size(max = 65536) String attestation, @Size(max = 128) String keyId, @Size(max = 64) String teamId,
            @Size(max = 256) String bundleId, @Size(max = 1024) String clientDataHash, Instant at) {
    }

    record AndroidInspection(String format, boolean valid, String failure, String detail, boolean challengeMatches,
            Integer attestationVersion, String attestationSecurityLevel, String keyMintSecurityLevel,
            Boolean deviceLocked, String verifiedBootState, Integer osVersion, Integer osPatchLevel,
            Integer vendorPatchLevel, Integer bootPatchLevel, String provisioning, String rootKeyAlgorithm,
            List<String> packageNames, List<String> signatureDigests, Instant creationTime, String strength,
            Instant verifiedAt, Instant revocationListFetchedAt) {

        static AndroidInspection of(AndroidAttestation a, Instant at, Instant listAt) {
            return new AndroidInspection("android-key", a.valid(), a.failure() == null ? null : a.failure().name(),
                    a.detail(), a.challengeMatches(), a.attestationVersion(), a.attestationSecurityLevel(),
                    a.keyMintSecurityLevel(), a.deviceLocked(), a.verifiedBootState(), a.osVersion(),
                    a.osPatchLevel(), a.vendorPatchLevel(), a.bootPatchLevel(), a.provisioning(),
                    a.rootKeyAlgorithm(), a.packageNames(), a.signatureDigests(), a.creationTime(), a.strength(), at,
                    listAt);
        }
    }

    record AppleInspection(String format, boolean valid, String failure, String detail, boolean challengeMatches,
            String environment, Long counter, String aaguid, String keyId, String strength, Instant verifiedAt) {

        static AppleInspection of(AppleAttestation a, Instant at) {
            return new AppleInspection("apple-app-attest", a.valid(), a.failure() == null ? null : a.failure().name(),
                    a.detail(), a.challengeMatches(), a.environment(), a.counter(), a.aaguid(), a.keyId(),
                    a.strength(), at);
        }
    }

    @Operation(summary = "Check attestation evidence without a device: what it proves (ADMIN, SECURITY)")
    @Problems({"403 forbidden"})
    @PostMapping("/api/v1/attestation/inspect")
    Mono<Object> inspect(Caller caller, @Valid @RequestBody InspectRequest body) {
        caller.requireAny(Role.ADMIN, Role.SECURITY);
        Instant at = body.at() == null ? clock.instant() : body.at();
        if ("android-key".equals(body.format())) {
            List<X509Certificate> chain;
            try {
                chain = TrustAnchors.pem(required(body.chain(), "chain"));
            } catch (IOException e) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("chain: not a PEM certificate chain"));
            }
            if (chain.isEmpty()) {
                return Mono.error(ProblemType.VALIDATION_FAILED.exception("chain: no certificate found"));
            }
            byte[] challenge = base64(required(body.challenge(), "challenge"), "challenge");
            return attestation.inspectAndroid(chain, challenge, at)
                    .map(a -> AndroidInspection.of(a, at, attestation.revocationListFetchedAt()));
        }
        byte[] object = base64(required(body.attestation(), "attestation"), "attestation");
        byte[] clientDataHash = base64(required(body.clientDataHash(), "clientDataHash"), "clientDataHash");
        return attestation.appleAttestation(object, required(body.keyId(), "keyId"), required(body.teamId(), "teamId"),
                        required(body.bundleId(), "bundleId"), clientDataHash, at)
                .map(a -> AppleInspection.of(a, at));
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ProblemType.VALIDATION_FAILED.exception("%s is required for this format", name);
        }
        return value;
    }

    private static byte[] base64(String value, String name) {
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ProblemType.VALIDATION_FAILED.exception("%s: not base64", name);
        }
    }
}
