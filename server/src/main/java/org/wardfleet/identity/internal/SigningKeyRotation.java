package org.wardfleet.identity.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import org.wardfleet.platform.time.Job;

import reactor.core.publisher.Mono;

/** Every instance checks for a due signing-key rotation (and picks up other instances' new keys) periodically. */
@Component
class SigningKeyRotation implements Job {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRotation.class);

    private final SigningKeys keys;

    SigningKeyRotation(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "signing-key-rotation";
    }

    @Override
    public java.time.Duration interval() {
        return SigningKeys.CHECK_EVERY;
    }

    @Override
    public Mono<?> run() {
        return keys.rotateIfDue().doOnNext(added -> {
            if (added) {
                log.info("Rotated the access-token signing key");
            }
        });
    }
}
