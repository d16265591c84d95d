package org.wardfleet.identity.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.wardfleet.platform.security.Role;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Short-lived ES256 access tokens; the {@code kid} header lets verifiers pick the key across rotations. */
@Component
class TokenIssuer {

    static final String AUDIENCE = "wardfleet-api";
    static final String ISSUED_AT_MILLIS = "iat_ms";
    /** The browser session a token was minted for ({@link org.wardfleet.identity.SessionTokens}). */
    static final String SESSION = "sid";

    private final SigningKeys keys;
    private final IdentityProperties properties;
    private final Clock clock;

    TokenIssuer(SigningKeys keys, IdentityProperties properties, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    record AccessToken(String value, long expiresInSeconds) {
    }

    AccessToken issue(StoredUser user) {
        return issue(user, null, properties.tokenTtl());
    }

    /** With {@code sessionId} set, the token also carries {@code sid}: good only while that browser session is. */
    AccessToken issue(StoredUser user, String sessionId, Duration ttl) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .audience(AUDIENCE)
                .subject(user.id())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString())
                .claim(ISSUED_AT_MILLIS, now.toEpochMilli())
                .claim("org", user.orgId())
                .claim("email", user.email())
                .claim("roles", user.roles().stream().map(Role::name).sorted().toList());
        JWTClaimsSet claims = (sessionId == null ? builder : builder.claim(SESSION, sessionId)).build();
        ECKey key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
        return new AccessToken(jwt.serialize(), ttl.toSeconds());
    }
}
