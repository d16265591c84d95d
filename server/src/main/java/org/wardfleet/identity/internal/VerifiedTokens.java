package org.wardfleet.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Predicate;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import reactor.core.publisher.Mono;

/**
 * Remembers tokens whose signature and claims were checked, until they expire: every API request carries one, and its
 * ES256 verification was the largest single cost of a page (17 % of the server's samples, docs/benchmarks.md). Only
 * the decoding is remembered — who the token names is looked up on every request as before (disabled user, reset
 * password, ended browser session). An entry is used only while the token has not expired and the key that signed it
 * still verifies (a retired or deleted key ends its tokens as before); failures are never remembered. Keyed by the
 * token's SHA-256, so the cache holds no usable credential; bounded in size.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

    /** Enough for every signed-in person of a large hospital; beyond it the least used are verified again. */
    static final int MAX_ENTRIES = 10_000;

    private final ReactiveJwtDecoder verifier;
    private final Predicate<String> keyStillVerifies;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    /** {@code keyStillVerifies}: whether the signing key with this {@code kid} is still one that verifies. */
    VerifiedTokens(ReactiveJwtDecoder verifier, Predicate<String> keyStillVerifies, Clock clock, int maxEntries) {
        this.verifier = verifier;
        this.keyStillVerifies = keyStillVerifies;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(maxEntries)
                .expireAfter(Expiry.<String, Jwt>creating((hash, jwt) -> max(Duration.ZERO,
                        Duration.between(clock.instant(), jwt.getExpiresAt()))))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        if (!compact(token)) {
            return verifier.decode(token);
        }
        String hash = sha256(token);
        Jwt known = verified.getIfPresent(hash);
        if (known != null) {
            if (stillGood(known)) {
                return Mono.just(known);
            }
            verified.invalidate(hash);
        }
        return verifier.decode(token).doOnNext(jwt -> {
            if (jwt.getExpiresAt() != null && stillGood(jwt)) {
                verified.put(hash, jwt);
            }
        });
    }

    /** Never past its expiry (the clock of this cache, not the cache's own timer), never once its key is gone. */
    private boolean stillGood(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        Object kid = jwt.getHeaders().get("kid");
        return expiresAt != null && clock.instant().isBefore(expiresAt)
                && kid instanceof String id && keyStillVerifies.test(id);
    }

    /** Only a JWS's own characters are hashed: no two strings that the cache could confuse. */
    private static boolean compact(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
