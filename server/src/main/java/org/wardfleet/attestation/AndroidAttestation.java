package org.wardfleet.attestation;

import java.time.Instant;
import java.util.List;

/**
 * A verified (or refused) Android Key Attestation chain and what its KeyDescription says. Parsed values are filled
 * whenever the leaf could be parsed, also for invalid chains, so an administrator can see what a device sent.
 *
 * @param provisioning {@code FACTORY}, {@code RKP} (remotely provisioned) or {@code UNKNOWN}
 * @param verifiedBootState {@code VERIFIED}, {@code SELF_SIGNED}, {@code UNVERIFIED} or {@code FAILED}
 * @param osPatchLevel YYYYMM as attested; vendor and boot patch levels YYYYMMDD (or YYYYMM on old devices)
 */
public record AndroidAttestation(boolean valid, AttestationFailure failure, String detail, boolean challengeMatches,
        Integer attestationVersion, String attestationSecurityLevel, String keyMintSecurityLevel,
        Boolean deviceLocked, String verifiedBootState, Integer osVersion, Integer osPatchLevel,
        Integer vendorPatchLevel, Integer bootPatchLevel, String provisioning, String rootKeyAlgorithm,
        List<String> packageNames, List<String> signatureDigests, Instant creationTime, String strength) {
}
