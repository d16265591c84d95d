package org.wardfleet.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Flux;

/**
 * A verified bearer token is recognised without verifying its signature again — but never past its expiry, never once
 * its signing key is gone, and a refused token is never remembered. (That a remembered token's user, password reset
 * and session are still checked on every request: CachedTokenRevocationTests.)
 */
class VerifiedTokensTests {

    private final MovableClock clock = new MovableClock();
    private final ECKey key = key();
    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicBoolean keyStillVerifies = new AtomicBoolean(true);

    @Test
    void aTokenIsVerifiedOnceThenRecognisedUntilItExpiresAndThenRefused() {
        VerifiedTokens tokens = new VerifiedTokens(verifier(), kid -> keyStillVerifies.get(), clock, 100);
        String token = token(key, clock.instant().plusSeconds(300));

        assertThat(tokens.decode(token).block().getSubject()).isEqualTo("user-1");
        assertThat(tokens.decode(token).block().getSubject()).isEqualTo("user-1");
        assertThat(verifications).as("the second request did not verify the signature again").hasValue(1);

        clock.advance(Duration.ofSeconds(301));
        assertThatThrownBy(() -> tokens.decode(token).block()).isInstanceOf(JwtException.class)
                .hasMessageContaining("expired");
        assertThat(verifications).as("an expired token is checked afresh, not answered from memory").hasValue(2);
    }

    @Test
    void aRememberedTokenIsVerifiedAgainOnceItsSigningKeyNoLongerVerifies() {
        VerifiedTokens tokens = new VerifiedTokens(verifier(), kid -> keyStillVerifies.get(), clock, 100);
        String token = token(key, clock.instant().plusSeconds(300));
        tokens.decode(token).block();

        keyStillVerifies.set(false);
        tokens.decode(token).block();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRefusedTokenIsRefusedEveryTimeAndNeverRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(verifier(), kid -> keyStillVerifies.get(), clock, 100);
        String forged = token(key(), clock.instant().plusSeconds(300));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> tokens.decode(forged).block()).isInstanceOf(BadJwtException.class);
        }
        assertThat(verifications).hasValue(2);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void theMemoryIsBounded() {
        VerifiedTokens tokens = new VerifiedTokens(verifier(), kid -> keyStillVerifies.get(), clock, 5);
        for (int i = 0; i < 50; i++) {
            tokens.decode(token(key, clock.instant().plusSeconds(300))).block();
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(5);
    }

    /** The real ES256 check and expiry (no skew, this test's clock), counting how often it runs. */
    private ReactiveJwtDecoder verifier() {
        NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder
                .withJwkSource(jwt -> Flux.just(key.toPublicJWK()))
                .jwsAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.ES256).build();
        JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
        expiry.setClock(clock);
        nimbus.setJwtValidator(expiry);
        return token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
    }

    private static String token(ECKey signer, Instant expiresAt) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
                    new JWTClaimsSet.Builder().subject("user-1").jwtID(java.util.UUID.randomUUID().toString())
                            .expirationTime(Date.from(expiresAt)).build());
            jwt.sign(new ECDSASigner(signer));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey key() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
