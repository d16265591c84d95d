package org.wardfleet.sdk;

import java.text.ParseException;
import java.time.Instant;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * What a device checks before it applies a policy: signed ES256 by a key of its organisation (fetched once over the
 * authenticated channel), typed {@code wf-policy+jwt}, addressed to this device, and not older than the policy it
 * already applied (a replayed older policy could otherwise loosen its settings).
 */
public final class PolicyVerifier {

    static final JOSEObjectType TYPE = new JOSEObjectType("wf-policy+jwt");

    private final String deviceId;
    private final JWKSet keys;
    private long lastGeneration = -1;
    private Instant lastIssuedAt = Instant.EPOCH;

    /** A policy the device may apply; {@code settings} is nested as in the policy document. */
    public record VerifiedPolicy(String version, long generation, Instant issuedAt, Map<String, Object> settings) {
    }

    /** Why a policy was refused: {@code malformed}, {@code unsigned}, {@code wrong-type}, {@code unknown-key},
     * {@code bad-signature}, {@code other-device} or {@code older}. */
    public static final class PolicyRejectedException extends Exception {
        private final String reason;

        PolicyRejectedException(String reason, String detail) {
            super(reason + ": " + detail);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public PolicyVerifier(String deviceId, String jwksJson) {
        this.deviceId = deviceId;
        try {
            this.keys = JWKSet.parse(jwksJson);
        } catch (ParseException e) {
            throw new IllegalArgumentException("Unreadable policy keys", e);
        }
    }

    /** Verifies {@code compactJws}; on success it becomes the newest policy this device accepts. */
    public synchronized VerifiedPolicy verify(String compactJws) throws PolicyRejectedException {
        SignedJWT jws;
        JWTClaimsSet claims;
        try {
            com.nimbusds.jwt.JWT parsed = com.nimbusds.jwt.JWTParser.parse(compactJws);
            if (parsed instanceof com.nimbusds.jwt.PlainJWT) {
                throw new PolicyRejectedException("unsigned", "alg none");
            }
            if (!(parsed instanceof SignedJWT signed)) {
                throw new PolicyRejectedException("malformed", "not a JWS");
            }
            jws = signed;
            claims = jws.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new PolicyRejectedException("malformed", e.getMessage());
        }
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
            throw new PolicyRejectedException("unsigned", "algorithm " + jws.getHeader().getAlgorithm());
        }
        if (!TYPE.equals(jws.getHeader().getType())) {
            throw new PolicyRejectedException("wrong-type", String.valueOf(jws.getHeader().getType()));
        }
        JWK key = keys.getKeyByKeyId(jws.getHeader().getKeyID());
        if (!(key instanceof ECKey ec)) {
            throw new PolicyRejectedException("unknown-key", String.valueOf(jws.getHeader().getKeyID()));
        }
        try {
            if (!jws.verify(new ECDSAVerifier(ec))) {
                throw new PolicyRejectedException("bad-signature", "the signature does not verify");
            }
        } catch (JOSEException e) {
            throw new PolicyRejectedException("bad-signature", e.getMessage());
        }
        if (!deviceId.equals(claims.getSubject())) {
            throw new PolicyRejectedException("other-device", "issued to " + claims.getSubject());
        }
        long generation;
        Instant issuedAt;
        Map<String, Object> settings;
        try {
            generation = claims.getLongClaim("gen");
            issuedAt = claims.getIssueTime().toInstant();
            settings = claims.getJSONObjectClaim("settings");
        } catch (ParseException | NullPointerException e) {
            throw new PolicyRejectedException("malformed", "missing gen, iat or settings");
        }
        if (generation < lastGeneration || generation == lastGeneration && issuedAt.isBefore(lastIssuedAt)) {
            throw new PolicyRejectedException("older", "generation " + generation + " after " + lastGeneration);
        }
        lastGeneration = generation;
        lastIssuedAt = issuedAt;
        return new VerifiedPolicy((String) claims.getClaim("ver"), generation, issuedAt, settings);
    }
}
