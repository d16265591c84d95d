package org.wardfleet.identity.internal;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id (OWASP 2023 minimum: 19 MiB, 2 iterations, 1 lane), encoded with its parameters so they can be raised
 * later. Hashing costs tens of milliseconds of CPU, so it runs off the event loop.
 */
@Component
class PasswordHasher {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Verified against when the email is unknown, so a miss takes as long as a wrong password. */
    private final String decoy = encoder.encode(generate());

    Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    /** Constant-time comparison inside the encoder; a null hash (no password set) never matches. */
    Mono<Boolean> matches(String password, String hash) {
        String against = hash == null ? decoy : hash;
        return Mono.fromCallable(() -> encoder.matches(password, against) && hash != null)
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** 24 URL-safe characters, 144 bits of entropy. */
    static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** NIST SP 800-63B 3.1.1.2: length matters, composition rules do not. */
    static String weakness(String password, String email) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "must be at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (email != null && password.equalsIgnoreCase(email)) {
            return "must not be the email address";
        }
        if (password.chars().distinct().count() < 4) {
            return "is too repetitive";
        }
        return null;
    }
}
