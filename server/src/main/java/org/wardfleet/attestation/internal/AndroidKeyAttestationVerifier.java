package org.wardfleet.attestation.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.wardfleet.attestation.AndroidAttestation;
import org.wardfleet.attestation.AttestationFailure;

/**
 * Verifies an Android Key Attestation chain (leaf first) the way real devices need it (see
 * docs/attestation.md): the root is trusted by its <em>public key</em> (devices still send the expired 2016/2019
 * certificates of the same Google key); the chain is walked by issuer name and signature, not by RFC 5280 path rules
 * (some factory attestation certificates are CA:FALSE yet sign the leaf); expiry is ignored for factory-provisioned
 * chains (their keys cannot be rotated) and enforced for remotely provisioned (RKP) ones; the leaf's own validity is
 * never checked (the device sets it). Only the leaf may carry the KeyDescription extension.
 */
final class AndroidKeyAttestationVerifier {

    private final List<PublicKey> trustedRoots;
    private final Duration revocationMaxAge;

    AndroidKeyAttestationVerifier(List<PublicKey> trustedRoots, Duration revocationMaxAge) {
        this.trustedRoots = List.copyOf(trustedRoots);
        this.revocationMaxAge = revocationMaxAge;
    }

    /** The app Wardfleet expects in the attestation application id; empty sets check nothing. */
    record ExpectedApp(Set<String> packageNames, Set<String> signatureDigestsHex) {
        static final ExpectedApp ANY = new ExpectedApp(Set.of(), Set.of());
    }

    /**
     * @param at the verification instant (recorded samples verify at their recording time)
     * @param now the real clock, for the freshness of the revocation list
     */
    AndroidAttestation verify(List<X509Certificate> chain, byte[] challenge, Instant at, Instant now,
            RevocationStatus revocations, ExpectedApp app) {
        if (chain.size() < 2) {
            return refused(AttestationFailure.MALFORMED, "A chain needs at least the leaf and a root", null, chain,
                    challenge);
        }
        KeyDescription description;
        try {
            description = KeyDescription.parse(chain.get(0));
        } catch (IOException e) {
            return refused(AttestationFailure.MALFORMED, e.getMessage(), null, chain, challenge);
        }
        X509Certificate root = chain.get(chain.size() - 1);
        if (trustedRoots.stream().noneMatch(k -> java.util.Arrays.equals(k.getEncoded(),
                root.getPublicKey().getEncoded()))) {
            return refused(AttestationFailure.UNTRUSTED_ROOT, "The chain ends in " + root.getSubjectX500Principal(),
                    description, chain, challenge);
        }
        String provisioning = provisioning(chain);
        for (int i = chain.size() - 2; i >= 0; i--) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return refused(AttestationFailure.BAD_SIGNATURE, "Certificate " + i + " is not issued by the next",
                        description, chain, challenge);
            }
            try {
                cert.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                return refused(AttestationFailure.BAD_SIGNATURE, "Certificate " + i + " is not signed by the next",
                        description, chain, challenge);
            }
            if (i > 0 && KeyDescription.present(cert)) {
                return refused(AttestationFailure.MALFORMED, "An attestation extension above the leaf (chain "
                        + "extension attack)", description, chain, challenge);
            }
            if (i > 0) {
                try {
                    cert.checkValidity(Date.from(at));
                } catch (CertificateNotYetValidException e) {
                    return refused(AttestationFailure.CERTIFICATE_EXPIRED, "Certificate " + i + " is not yet valid",
                            description, chain, challenge);
                } catch (CertificateExpiredException e) {
                    if (!"FACTORY".equals(provisioning)) {
                        return refused(AttestationFailure.CERTIFICATE_EXPIRED, "Certificate " + i + " expired "
                                + cert.getNotAfter().toInstant(), description, chain, challenge);
                    }
                }
            }
        }
        for (X509Certificate cert : chain) {
            String serial = cert.getSerialNumber().toString(16);
            if (revocations.entries().containsKey(serial)) {
                return refused(AttestationFailure.REVOKED, "Serial " + serial + " is "
                        + revocations.entries().get(serial), description, chain, challenge);
            }
        }
        if (!revocations.fresh(now, revocationMaxAge)) {
            return refused(AttestationFailure.REVOCATION_STATUS_UNKNOWN, "No revocation list newer than "
                    + revocationMaxAge, description, chain, challenge);
        }
        if (!MessageDigest.isEqual(description.challenge(), challenge)) {
            return refused(AttestationFailure.CHALLENGE_MISMATCH, "The attested challenge is not this nonce",
                    description, chain, challenge);
        }
        if ("SOFTWARE".equals(description.attestationSecurityLevel())) {
            return refused(AttestationFailure.SOFTWARE_ONLY, "Attested in software", description, chain, challenge);
        }
        if (!app.packageNames().isEmpty() && description.packageNames().stream()
                .noneMatch(app.packageNames()::contains)
                || !app.signatureDigestsHex().isEmpty() && description.signatureDigests().stream()
                .noneMatch(app.signatureDigestsHex()::contains)) {
            return refused(AttestationFailure.APP_MISMATCH, "Attested app " + description.packageNames(),
                    description, chain, challenge);
        }
        return result(true, null, null, description, chain, challenge);
    }

    private AndroidAttestation refused(AttestationFailure failure, String detail, KeyDescription d,
            List<X509Certificate> chain, byte[] challenge) {
        return result(false, failure, detail, d, chain, challenge);
    }

    private static AndroidAttestation result(boolean valid, AttestationFailure failure, String detail,
            KeyDescription d, List<X509Certificate> chain, byte[] challenge) {
        String root = chain.isEmpty() ? null : algorithm(chain.get(chain.size() - 1).getPublicKey());
        if (d == null) {
            return new AndroidAttestation(valid, failure, detail, false, null, null, null, null, null, null, null,
                    null, null, chain.size() < 2 ? "UNKNOWN" : provisioning(chain), root, List.of(), List.of(),
                    null, "SELF_REPORTED");
        }
        String strength = !valid ? "SELF_REPORTED"
                : "SOFTWARE".equals(d.attestationSecurityLevel()) ? "SOFTWARE_ATTESTED" : "HARDWARE_BACKED";
        return new AndroidAttestation(valid, failure, detail, MessageDigest.isEqual(d.challenge(), challenge),
                d.attestationVersion(), d.attestationSecurityLevel(), d.keyMintSecurityLevel(), d.deviceLocked(),
                d.verifiedBootState(), d.osVersion(), d.osPatchLevel(), d.vendorPatchLevel(), d.bootPatchLevel(),
                provisioning(chain), root, d.packageNames(), d.signatureDigests(), d.creationTime(), strength);
    }

    /**
     * Factory chains have a serialNumber attribute in the intermediate below the root; remotely provisioned ones
     * have the "Droid CA2" intermediate (android/keyattestation KeyAttestationCertPath).
     */
    static String provisioning(List<X509Certificate> chain) {
        if (chain.size() < 3) {
            return "UNKNOWN";
        }
        try {
            LdapName name = new LdapName(chain.get(chain.size() - 2).getSubjectX500Principal().getName());
            boolean serial = false;
            String cn = null;
            String o = null;
            for (Rdn rdn : name.getRdns()) {
                String type = rdn.getType();
                if ("2.5.4.5".equals(type) || "SERIALNUMBER".equalsIgnoreCase(type)) {
                    serial = true;
                } else if ("CN".equalsIgnoreCase(type)) {
                    cn = String.valueOf(rdn.getValue());
                } else if ("O".equalsIgnoreCase(type)) {
                    o = String.valueOf(rdn.getValue());
                }
            }
            if (serial) {
                return "FACTORY";
            }
            return "Droid CA2".equals(cn) && "Google LLC".equals(o) ? "RKP" : "UNKNOWN";
        } catch (InvalidNameException e) {
            return "UNKNOWN";
        }
    }

    static String algorithm(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return "EC-P" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }
}
