package org.wardfleet.oncall.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Who covers a role at an instant, and the segments of a window: the rota with its overrides and leave applied. */
@Component
class Coverage {

    private final OnCallStore store;

    Coverage(OnCallStore store) {
        this.store = store;
    }

    Mono<List<Schedule.Segment>> segments(OnCallStore.Role role, Instant from, Instant to) {
        return store.covers(role.orgId(), role.id(), from, to).collectList().map(covers -> {
            List<Schedule.Cover> overrides = new ArrayList<>();
            List<Schedule.Cover> leave = new ArrayList<>();
            covers.forEach(c -> ("OVERRIDE".equals(c.kind()) ? overrides : leave)
                    .add(new Schedule.Cover(c.userId(), c.from(), c.to())));
            return Schedule.compute(role.rota(), overrides, leave, from, to);
        });
    }

    /** The segment covering {@code at} (its users are empty in a gap). */
    Mono<Schedule.Segment> at(OnCallStore.Role role, Instant at) {
        return segments(role, at.minus(Duration.ofDays(32)), at.plus(Duration.ofDays(32)))
                .map(segments -> segments.stream().filter(s -> !at.isBefore(s.start()) && at.isBefore(s.end()))
                        .findFirst().orElseThrow());
    }

    Mono<List<String>> onCall(String orgId, String roleId, Instant at) {
        return store.role(orgId, roleId).flatMap(role -> at(role, at)).map(Schedule.Segment::userIds)
                .defaultIfEmpty(List.of());
    }
}
