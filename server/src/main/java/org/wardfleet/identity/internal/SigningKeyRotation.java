package org.wardfleet.identity.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Every instance checks for a due signing-key rotation (and picks up other instances' new keys) periodically. */
@Component
class SigningKeyRotation extends org.wardfleet.platform.time.PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRotation.class);

    private final SigningKeys keys;

    SigningKeyRotation(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    protected java.time.Duration period() {
        return SigningKeys.CHECK_EVERY;
    }

    @Override
    protected Mono<?> runOnce() {
        return keys.rotateIfDue().doOnNext(added -> {
            if (added) {
                log.info("Rotated the access-token signing key");
            }
        });
    }
}
