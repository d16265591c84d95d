package org.wardfleet.identity.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Every instance checks for a due signing-key rotation (and picks up other instances' new keys) periodically. */
@Component
class SigningKeyRotation implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRotation.class);

    private final SigningKeys keys;
    private volatile Disposable checker;

    SigningKeyRotation(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public void start() {
        checker = Flux.interval(SigningKeys.CHECK_EVERY, Schedulers.parallel())
                .concatMap(tick -> keys.rotateIfDue()
                        .doOnNext(added -> {
                            if (added) {
                                log.info("Rotated the access-token signing key");
                            }
                        })
                        .onErrorResume(e -> {
                            log.warn("Checking the token signing keys failed; will retry: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = checker;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return checker != null && !checker.isDisposed();
    }
}
