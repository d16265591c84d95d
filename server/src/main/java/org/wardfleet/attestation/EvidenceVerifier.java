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

    /**
     * A later App Attest assertion against the key attested earlier ({@code attestedKey}, base64 SubjectPublicKeyInfo)
     * for the configured app; its counter must exceed {@code lastCounter}.
     */
    Mono<AppleAssertion> appleAssertion(byte[] assertion, String attestedKey, byte[] clientDataHash, long lastCounter);

    /** A verified (or refused) App Attest assertion and its counter. */
    record AppleAssertion(boolean valid, AttestationFailure failure, String detail, long counter) {
    }

    /** A Play Integrity verdict token, decrypted and verified with the configured Play Console keys. */
    Mono<PlayIntegrityVerdict> playIntegrity(String token, String nonce, Instant now);

    /** When the attestation revocation list was last fetched (null: never). */
    Instant revocationListFetchedAt();
}
