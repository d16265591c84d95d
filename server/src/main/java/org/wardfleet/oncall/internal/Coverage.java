package org.wardfleet.oncall.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wardfleet.oncall.OnCallProblems;

import reactor.core.publisher.Mono;

/**
 * Who covers a role at an instant, and the segments of a window: the rota with its overrides and leave applied. A
 * stored rota that cannot be computed (dates out of range, stored before input was bounded) is a
 * {@link OnCallProblems#ROTA_UNUSABLE} problem for that role alone — never an unhandled error.
 */
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
            try {
                return Schedule.compute(role.rota(), overrides, leave, from, to);
            } catch (DateTimeException | ArithmeticException e) {
                throw OnCallProblems.ROTA_UNUSABLE.exception("On-call role %s has a rota that cannot be computed "
                        + "(%s): replace its rota", role.id(), e.getClass().getSimpleName());
            }
        });
    }

    /** The segment covering {@code at} (its users are empty in a gap). */
    Mono<Schedule.Segment> at(OnCallStore.Role role, Instant at) {
        return segments(role, at.minus(Duration.ofDays(32)), at.plus(Duration.ofDays(32)))
                .map(segments -> segments.stream().filter(s -> !at.isBefore(s.start()) && at.isBefore(s.end()))
                        .findFirst().orElseThrow(() -> OnCallProblems.ROTA_UNUSABLE.exception(
                                "On-call role %s has no shift at %s", role.id(), at)));
    }

    Mono<List<String>> onCall(String orgId, String roleId, Instant at) {
        return store.role(orgId, roleId).flatMap(role -> at(role, at)).map(Schedule.Segment::userIds)
                .defaultIfEmpty(List.of());
    }
}
