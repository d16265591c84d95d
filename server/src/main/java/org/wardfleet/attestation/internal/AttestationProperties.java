package org.wardfleet.attestation.internal;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code wardfleet.attestation.*}. Trust stores default to the roots shipped in the jar (Google's published hardware
 * attestation roots, Apple's App Attestation root). The revocation list is fetched from {@code revocationListUrl}
 * (http(s), {@code file:} or {@code classpath:}) every {@code revocationRefresh}; the last good copy is kept in MongoDB
 * so an offline server keeps using it, until it is older than {@code revocationMaxAge} — then Android results are
 * UNKNOWN, never valid. The expected app ({@code androidPackageNames}, {@code androidSignatureDigests} as lower-case
 * hex, {@code appleTeamId} + {@code appleBundleId}) is checked when set. Play Integrity verdicts are decrypted and
 * verified locally with the two keys from the Play Console (base64 AES key, base64 EC public key).
 */
@ConfigurationProperties("wardfleet.attestation")
record AttestationProperties(
        @DefaultValue("classpath:attestation/google-attestation-roots.json") String googleRoots,
        @DefaultValue("classpath:attestation/apple-app-attestation-root-ca.pem") String appleRoot,
        @DefaultValue("https://android.googleapis.com/attestation/status") String revocationListUrl,
        @DefaultValue("1h") Duration revocationRefresh,
        @DefaultValue("48h") Duration revocationMaxAge,
        @DefaultValue("") Set<String> androidPackageNames,
        @DefaultValue("") Set<String> androidSignatureDigests,
        String appleTeamId,
        String appleBundleId,
        String playIntegrityDecryptionKey,
        String playIntegrityVerificationKey) {

    AttestationProperties {
        androidPackageNames = clean(androidPackageNames);
        androidSignatureDigests = clean(androidSignatureDigests);
        if (revocationRefresh.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("wardfleet.attestation.revocation-refresh must be at least 1m");
        }
    }

    @Override
    public String toString() {
        return "AttestationProperties[revocationListUrl=" + revocationListUrl + ", playIntegrityKeys=***]";
    }

    private static Set<String> clean(Set<String> values) {
        return values == null ? Set.of() : Set.copyOf(values.stream().filter(v -> !v.isBlank()).toList());
    }
}
