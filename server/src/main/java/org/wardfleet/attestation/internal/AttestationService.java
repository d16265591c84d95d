package org.wardfleet.attestation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;
import org.wardfleet.attestation.AndroidAttestation;
import org.wardfleet.attestation.AppleAttestation;
import org.wardfleet.attestation.AttestationFailure;
import org.wardfleet.attestation.EvidenceVerifier;
import org.wardfleet.attestation.PlayIntegrityVerdict;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@link EvidenceVerifier} with the configured trust stores, revocation list and expected app. */
@Component
@EnableConfigurationProperties(AttestationProperties.class)
class AttestationService implements EvidenceVerifier {

    private final AndroidKeyAttestationVerifier android;
    private final AppleAppAttestVerifier apple;
    private final GoogleRevocationList revocations;
    private final PlayIntegrityVerifier playIntegrity;
    private final AttestationProperties properties;
    private final Clock clock;

    AttestationService(AttestationProperties properties, GoogleRevocationList revocations, Clock clock) {
        this.properties = properties;
        this.revocations = revocations;
        this.clock = clock;
        try (InputStream google = open(properties.googleRoots()); InputStream appleRoot = open(properties.appleRoot())) {
            this.android = new AndroidKeyAttestationVerifier(TrustAnchors.googleRootKeys(google),
                    properties.revocationMaxAge());
            this.apple = new AppleAppAttestVerifier(TrustAnchors.pem(new String(appleRoot.readAllBytes(),
                    StandardCharsets.US_ASCII)).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attestation trust stores", e);
        }
        this.playIntegrity = properties.playIntegrityDecryptionKey() == null
                || properties.playIntegrityVerificationKey() == null ? null
                : new PlayIntegrityVerifier(properties.playIntegrityDecryptionKey(),
                        properties.playIntegrityVerificationKey());
    }

    private static InputStream open(String location) throws IOException {
        return new DefaultResourceLoader().getResource(location).getInputStream();
    }

    @Override
    public Mono<AndroidAttestation> androidKeyChain(List<byte[]> chain, byte[] challenge, Instant at) {
        return Mono.fromCallable(() -> {
            List<X509Certificate> certs;
            try {
                certs = parse(chain);
            } catch (CertificateException e) {
                return new AndroidAttestation(false, AttestationFailure.MALFORMED, "Unreadable certificate", false,
                        null, null, null, null, null, null, null, null, null, "UNKNOWN", null, List.of(), List.of(),
                        null, "SELF_REPORTED");
            }
            return android.verify(certs, challenge, at, clock.instant(), revocations.current(),
                    new AndroidKeyAttestationVerifier.ExpectedApp(properties.androidPackageNames(),
                            properties.androidSignatureDigests()));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** For the inspector: the chain as an administrator pastes it, and no app expectation. */
    Mono<AndroidAttestation> inspectAndroid(List<X509Certificate> chain, byte[] challenge, Instant at) {
        return Mono.fromCallable(() -> android.verify(chain, challenge, at, clock.instant(), revocations.current(),
                AndroidKeyAttestationVerifier.ExpectedApp.ANY)).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<AppleAttestation> appleAttestation(byte[] attestationObject, String keyId, byte[] clientDataHash,
            Instant at) {
        if (properties.appleTeamId() == null || properties.appleBundleId() == null) {
            return Mono.just(new AppleAttestation(false, AttestationFailure.APP_MISMATCH,
                    "wardfleet.attestation.apple-team-id and apple-bundle-id are not configured", false, null, null,
                    null, keyId, null, "SELF_REPORTED"));
        }
        return appleAttestation(attestationObject, keyId, properties.appleTeamId(), properties.appleBundleId(),
                clientDataHash, at);
    }

    @Override
    public Mono<AppleAttestation> appleAttestation(byte[] attestationObject, String keyId, String teamId,
            String bundleId, byte[] clientDataHash, Instant at) {
        return Mono.fromCallable(() -> apple.verify(attestationObject, keyId, teamId, bundleId, clientDataHash, at))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<AppleAssertion> appleAssertion(byte[] assertion, String attestedKey, byte[] clientDataHash,
            long lastCounter) {
        if (properties.appleTeamId() == null || properties.appleBundleId() == null) {
            return Mono.just(new AppleAssertion(false, AttestationFailure.NOT_CONFIGURED,
                    "wardfleet.attestation.apple-team-id and apple-bundle-id are not configured", 0));
        }
        return Mono.fromCallable(() -> {
            java.security.PublicKey key = java.security.KeyFactory.getInstance("EC").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(attestedKey)));
            var a = apple.verifyAssertion(assertion, key, properties.appleTeamId(), properties.appleBundleId(),
                    clientDataHash, lastCounter);
            return new AppleAssertion(a.valid(), a.failure(), a.detail(), a.counter());
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<PlayIntegrityVerdict> playIntegrity(String token, String nonce, Instant now) {
        if (playIntegrity == null) {
            return Mono.just(new PlayIntegrityVerdict(false, AttestationFailure.NOT_CONFIGURED,
                    "wardfleet.attestation.play-integrity-* keys are not configured", false, null, null, List.of(),
                    "SELF_REPORTED"));
        }
        return Mono.fromCallable(() -> playIntegrity.verify(token, nonce, properties.androidPackageNames(), now))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Instant revocationListFetchedAt() {
        return revocations.current().fetchedAt();
    }

    private static List<X509Certificate> parse(List<byte[]> chain) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (byte[] der : chain) {
            certs.add((X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(der)));
        }
        return certs;
    }
}
