package org.wardfleet.attestation;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Verifies hardware evidence. Every method takes the verification instant explicitly: live reports pass "now",
 * recorded samples their recording time. Signature checks run off the event loop.
 */
public interface EvidenceVerifier {

    /** An Android Key Attestation chain, leaf first, DER; checks the configured app when one is configured. */
    Mono<AndroidAttestation> androidKeyChain(List<byte[]> chain, byte[] challenge, Instant at);

    /** An App Attest attestation object for the configured team and bundle id. */
    Mono<AppleAttestation> appleAttestation(byte[] attestationObject, String keyId, byte[] clientDataHash,
            Instant at);

    /** The same for any team and bundle id (troubleshooting, recorded samples). */
    Mono<AppleAttestation> appleAttestation(byte[] attestationObject, String keyId, String teamId, String bundleId,
            byte[] clientDataHash, Instant at);

    /** A Play Integrity verdict token, decrypted and verified with the configured Play Console keys. */
    Mono<PlayIntegrityVerdict> playIntegrity(String token, String nonce, Instant now);

    /** When the attestation revocation list was last fetched (null: never). */
    Instant revocationListFetchedAt();
}
