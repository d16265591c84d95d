package org.wardfleet.events.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.events.SecurityEvent;
import org.wardfleet.events.SecurityEventFeed;
import org.wardfleet.platform.security.Caller;
import org.wardfleet.platform.security.Role;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Flux;

/** {@link SecurityEventFeed}: the caller's organisation's events only. */
@Component
class EventReader implements SecurityEventFeed {

    static final Duration MAX_WITHIN = Duration.ofDays(1);
    static final int MAX_RECENT = 200;

    private final EventStore store;
    private final java.time.Clock clock;

    EventReader(EventStore store, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Flux<SecurityEvent> follow(Caller caller, Duration within) {
        return Flux.defer(() -> {
            String orgId = reader(caller).orgId();
            return store.recent(orgId, since(within), MAX_RECENT).collectList()
                    .flatMapMany(newestFirst -> {
                        List<SecurityEvent> oldestFirst = new ArrayList<>(newestFirst);
                        Collections.reverse(oldestFirst);
                        return Flux.fromIterable(oldestFirst);
                    })
                    .concatWith(store.live(orgId));
        });
    }

    @Override
    public Flux<SecurityEvent> recent(Caller caller, Duration within, int limit) {
        return Flux.defer(() -> {
            String orgId = reader(caller).orgId();
            if (limit < 1 || limit > MAX_RECENT) {
                return Flux.error(ProblemType.VALIDATION_FAILED.exception("limit must be 1..%d", MAX_RECENT));
            }
            return store.recent(orgId, since(within), limit);
        });
    }

    private Instant since(Duration within) {
        Duration bounded = within.isNegative() ? Duration.ZERO : within.compareTo(MAX_WITHIN) > 0 ? MAX_WITHIN : within;
        return clock.instant().minus(bounded);
    }

    private static Caller reader(Caller caller) {
        return caller.requireAny(Role.ADMIN, Role.SECURITY);
    }
}
