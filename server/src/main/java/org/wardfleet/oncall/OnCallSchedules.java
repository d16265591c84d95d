package org.wardfleet.oncall;

import java.time.Instant;
import java.util.List;

import org.wardfleet.platform.security.Caller;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * On-call roles and who covers them, for pages other than the API (the console): the schedule is the same resolution
 * of rota, overrides and leave that routes pages, and overrides are added and deleted under the same rules and audit
 * as through {@code /api/v1/oncall}.
 */
public interface OnCallSchedules {

    /** The organisation's roles, by name. */
    Flux<RoleSummary> roles(Caller caller);

    /** One role; {@code not-found} when the organisation has no such role. */
    Mono<RoleSummary> role(Caller caller, String roleId);

    /**
     * Who covers the role over [from, to) (at most 62 days), as consecutive segments; a segment with nobody is a gap.
     * Also the overrides and leave overlapping the window, oldest decision first.
     */
    Mono<Schedule> schedule(Caller caller, String roleId, Instant from, Instant to);

    /**
     * Someone covers the role from {@code from} to {@code to} (an instant, or a local date-time in the role's zone);
     * ADMIN or the role's owners. Returns the override's id.
     */
    Mono<String> addOverride(Caller caller, String roleId, String userId, String from, String to);

    /** One override or leave of the role; {@code not-found} when there is none. */
    Mono<Cover> cover(Caller caller, String roleId, String coverId);

    /** Deletes an override or leave (ADMIN, owners, or the person for their own leave). */
    Mono<Void> deleteCover(Caller caller, String roleId, String coverId);

    record Person(String id, String name) {
    }

    /** {@code timeZone}: the IANA zone the rota hands over in (and the calendar is drawn in). */
    record RoleSummary(String id, String name, String timeZone, List<Person> owners, List<Person> participants,
            String shift, String escalationPolicyId) {
    }

    /** {@code people} empty: nobody is on call (a gap); {@code override}: an override, not the rota. */
    record Segment(List<Person> people, Instant start, Instant end, boolean override) {

        public boolean gap() {
            return people.isEmpty();
        }
    }

    /** {@code kind}: {@code OVERRIDE} or {@code LEAVE}. */
    record Cover(String id, String roleId, String kind, Person person, Instant from, Instant to) {
    }

    record Schedule(RoleSummary role, Instant from, Instant to, List<Segment> segments, List<Cover> covers) {
    }
}
