package org.wardfleet.sdk;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Request tokens for {@code /device/v1/**} when mutual TLS is not available (a TLS-terminating proxy): ES256 over
 * the device key, {@code typ wf-device+jwt}, {@code kid} = device id, bound to one method and URL (RFC 9449 style),
 * valid 60 s, a fresh {@code jti} each time. Sent as {@code Authorization: Device <jwt>}.
 */
public final class DeviceJwt {

    public static final JOSEObjectType TYPE = new JOSEObjectType("wf-device+jwt");
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    private final String deviceId;
    private final String audience;
    private final DeviceKeyStore keys;
    private final Clock clock;

    /** {@code audience}: the server's public URL, e.g. {@code https://wardfleet.hospital.example}. */
    public DeviceJwt(String deviceId, String audience, DeviceKeyStore keys, Clock clock) {
        this.deviceId = deviceId;
        this.audience = audience.endsWith("/") ? audience.substring(0, audience.length() - 1) : audience;
        this.keys = keys;
        this.clock = clock;
    }

    /** A token for {@code method} on {@code path} (e.g. {@code /device/v1/checkin}); the query is not bound. */
    public String forRequest(String method, String path) {
        String htu = audience + URI.create(path).getRawPath();
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(deviceId).subject(deviceId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", method.toUpperCase(Locale.ROOT)).claim("htu", htu)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(deviceId).build(),
                claims);
        try {
            jwt.sign(new KeyStoreSigner(keys));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the device token", e);
        }
        return jwt.serialize();
    }

    /** Nimbus signer over {@link DeviceKeyStore#sign}: DER from the key store, R||S for JWS (RFC 7518 3.4). */
    static final class KeyStoreSigner implements JWSSigner {

        private final DeviceKeyStore keys;
        private final JCAContext context = new JCAContext();

        KeyStoreSigner(DeviceKeyStore keys) {
            this.keys = keys;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            return Base64URL.encode(ECDSA.transcodeSignatureToConcat(keys.sign(signingInput), 64));
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.ES256);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
